#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Fills a boot file root with the iPXE binaries firmware asks for (Sidero's names), copied from a
/// directory such as Debian's `/usr/lib/ipxe`. A file the operator already put in the root is never
/// overwritten: custom iPXE builds with embedded scripts are common.
public enum BootFileRootPreparation {
    /// (name in the root, candidate files in the iPXE directory, first existing wins).
    public static let standardFiles: [(name: String, sources: [String])] = [
        ("undionly.kpxe", ["undionly.kpxe"]),
        ("undionly.kpxe.0", ["undionly.kpxe"]),
        ("ipxe.efi", ["ipxe.efi", "x86_64-efi/ipxe.efi"]),
        ("snp.efi", ["snp.efi", "snponly.efi", "x86_64-efi/snp.efi", "x86_64-efi/snponly.efi"]),
        ("snponly.efi", ["snponly.efi", "x86_64-efi/snponly.efi"]),
        ("ipxe-arm64.efi", ["ipxe-arm64.efi", "arm64-efi/ipxe.efi"]),
        ("snp-arm64.efi", ["snp-arm64.efi", "snponly-arm64.efi", "arm64-efi/snp.efi", "arm64-efi/snponly.efi"]),
    ]

    public struct Report: Sendable, Equatable {
        /// Copied in now.
        public var installed: [String] = []
        /// Already present in the root (operator's or an earlier start's), left alone.
        public var kept: [String] = []
        /// No source found (arm64 binaries on an amd64 host, for example).
        public var unavailable: [String] = []
    }

    /// Creates the root if needed and copies in the standard files that are missing. Writes go to a
    /// temporary name first and are renamed into place, so a crash never leaves a half file.
    public static func prepare(root: String, ipxeDirectory: String) throws(BootFileRootError) -> Report {
        try makeDirectory(root)
        var report = Report()
        for (name, sources) in standardFiles {
            let destination = root + "/" + name
            if access(destination, F_OK) == 0 {
                report.kept.append(name)
                continue
            }
            guard let source = sources.map({ ipxeDirectory + "/" + $0 }).first(where: { access($0, R_OK) == 0 }) else {
                report.unavailable.append(name)
                continue
            }
            try copy(source, to: destination, root: root)
            report.installed.append(name)
        }
        return report
    }

    static func makeDirectory(_ path: String) throws(BootFileRootError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw BootFileRootError(directory: path, reason: "cannot create \(built): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func copy(_ source: String, to destination: String, root: String) throws(BootFileRootError) {
        let temporary = destination + ".anvil-tmp-\(getpid())"
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw BootFileRootError(directory: root, reason: "cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw BootFileRootError(directory: root, reason: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var failure: String?
        while failure == nil {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if count == 0 { break }
            if count < 0 { if errno == EINTR { continue }; failure = "read \(source)"; break }
            var written = 0
            while written < count {
                let n = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                if n < 0 { if errno == EINTR { continue }; failure = "write \(temporary)"; break }
                written += n
            }
        }
        if failure == nil && fsync(output) != 0 { failure = "fsync \(temporary)" }
        let reason = failure.map { "\($0): \(String(cString: strerror(errno)))" }
        close(output)
        if let reason {
            unlink(temporary)
            throw BootFileRootError(directory: root, reason: reason)
        }
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw BootFileRootError(directory: root, reason: "rename to \(destination): \(reason)")
        }
    }
}
