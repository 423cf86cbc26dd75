import AnvilDaemon
import BootdCore

/// bootd: parses its settings and hands over to BootdCore (docs/architecture.md "The daemon shape").
@main
enum BootdMain {
    static func main() async {
        await DaemonCommand<BootDaemon>.main()
    }
}
