import Foundation

/// `/boot.ipxe`'s chain line (Shared/Boot/IPXEScript.swift `boot`), read and expanded the way iPXE
/// does for net0: the simulator then asks the `/ipxe` URL bootd itself rendered, so a wrong
/// `--api-endpoint` or port in bootd's script shows up as a failed boot.
public enum BootScriptChain {
    /// The URL of the first `chain` command, with iPXE's variables still in it.
    public static func chainURL(in script: String) throws(IPXEScriptError) -> String {
        guard script.hasPrefix("#!ipxe") else { throw IPXEScriptError("/boot.ipxe is not an iPXE script") }
        for line in script.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            if words.first == "chain", let url = words.dropFirst().first(where: { !$0.hasPrefix("--") }) {
                return String(url)
            }
        }
        throw IPXEScriptError("/boot.ipxe has no chain command")
    }

    /// Expands the variables boot.ipxe's chain URL uses, for the NIC `net0`.
    public static func expand(_ template: String, uuid: String, macHyphenated: String, serial: String) -> String {
        let values = [
            "${uuid}": uuid, "${net${idx}/mac:hexhyp}": macHyphenated, "${domain}": "", "${hostname}": "",
            "${serial}": serial, "${buildarch}": "x86_64",
        ]
        var url = template
        for (variable, value) in values { url = url.replacingOccurrences(of: variable, with: value) }
        return url
    }
}
