import AnvilDaemon
import TFTPDCore

/// tftpd: parses its settings and hands over to TFTPDCore (docs/architecture.md "The daemon shape").
@main
enum TFTPDMain {
    static func main() async {
        await DaemonCommand<TFTPDaemon>.main()
    }
}
