import Foundation

/// A target Environment booted: an installer that behaves as the end-to-end test's
/// (Tests/E2E/make-target-environment.sh): fetch `talos.config` with the SMBIOS UUID appended,
/// install nothing without a config, mark the disk installed, report
/// `POST /api/v1/servers/<uuid>/installed` with the machine token, reboot.
struct TargetBoot {
    let machine: SimulatedMachine
    let http: MachineHTTPClient
    let wire: MachineNetworkIdentity
    let kernel: String
    let configURL: String
    let arguments: [String: String]

    func run() async {
        let record = machine.record
        let timings = machine.timings
        record.enter(.installing)
        let token = arguments["anvil.token"].flatMap { $0.isEmpty ? nil : $0 }
        // Talos appends the UUID: bootd's URL ends with `uuid=` (BootArguments.configURL).
        let url = configURL + wire.uuid
        var config: String?
        for attempt in 1...max(1, timings.attempts) {
            do {
                let response = try await http.get(url)
                if response.isSuccess, !response.body.isEmpty {
                    config = response.body
                    break
                }
                machine.log("install: config HTTP \(response.status): \(Self.excerpt(response.body)) (attempt \(attempt)/\(timings.attempts))")
            } catch {
                if Task.isCancelled { return }
                machine.log("install: config not fetched: \(error) (attempt \(attempt)/\(timings.attempts))")
            }
            do { try await Task.sleep(for: timings.retry) } catch { return }
        }
        guard let config else {
            record.enter(.failed)
            await machine.finish(powerOff: false, after: .zero, "install: FAILED, no config; nothing installed")
            return
        }
        machine.log("install: config fetched (\(config.utf8.count) bytes)")
        machine.disk.install(kernel)
        guard let host = Self.hostPort(of: configURL) else {
            record.enter(.failed)
            await machine.finish(powerOff: false, after: timings.installed, "install: cannot tell metadatad's address from \(configURL)")
            return
        }
        do {
            let response = try await http.post("http://\(host)/api/v1/servers/\(wire.uuid)/installed", json: "{}", bearer: token)
            if response.isSuccess {
                record.enter(.installed)
                record.reach(.installed)
                machine.log("install: installed reported")
            } else {
                record.enter(.failed)
                machine.log("install: report refused, HTTP \(response.status): \(Self.excerpt(response.body))")
            }
        } catch {
            if Task.isCancelled { return }
            record.enter(.failed)
            machine.log("install: report failed: \(error)")
        }
        await machine.finish(powerOff: false, after: timings.installed, "install: done")
    }

    /// `host:port` of an `http://host:port/…` URL.
    static func hostPort(of url: String) -> String? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let host = rest.prefix { $0 != "/" && $0 != "?" }
        return host.isEmpty ? nil : String(host)
    }

    static func excerpt(_ body: String) -> String {
        let text = body.prefix(200).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : text
    }
}
