import AnvilDaemon
import MetadatadCore

/// metadatad: parses its settings and hands over to MetadatadCore (docs/architecture.md "The daemon shape").
@main
enum MetadatadMain {
    static func main() async {
        await DaemonCommand<MetadataDaemon>.main()
    }
}
