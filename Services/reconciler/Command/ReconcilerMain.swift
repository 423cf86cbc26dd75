import AnvilDaemon
import ReconcilerCore

/// reconciler: parses its settings and hands over to ReconcilerCore (docs/architecture.md "The daemon shape").
@main
enum ReconcilerMain {
    static func main() async {
        await DaemonCommand<ReconcilerDaemon>.main()
    }
}
