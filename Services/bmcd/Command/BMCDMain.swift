import AnvilDaemon
import BMCDCore

/// bmcd: parses its settings and hands over to BMCDCore (docs/architecture.md "The daemon shape").
@main
enum BMCDMain {
    static func main() async {
        await DaemonCommand<BMCDaemon>.main()
    }
}
