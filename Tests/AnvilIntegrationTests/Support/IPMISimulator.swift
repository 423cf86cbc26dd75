import Foundation
import Synchronization

/// OpenIPMI's `ipmi_sim` as a BMC on 127.0.0.1: users admin/password (admin) and
/// the anonymous user; a chassis_control script keeps power and boot device in files, so power
/// commands have an effect a test can read back. Restartable on the same port.
final class IPMISimulator: Sendable {
    let directory: TemporaryDirectory
    let port: Int
    private let child: LockedChild

    static let user = "admin"
    static let password = "password"

    init(port fixed: Int? = nil) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ipmi_sim") else {
            throw TestFailure("ipmi_sim is not installed (apt-get install openipmi; .ci/run installs it)")
        }
        directory = try TemporaryDirectory()
        port = try fixed ?? UDPTestSocket.freeUDPPort()
        let chassis = try directory.file("chassis.sh", contents: Self.chassisScript(directory: directory.path + "/chassis"))
        chmod(chassis, 0o755)
        _ = try directory.file("lan.conf", contents: Self.lanConfiguration(port: port, chassis: chassis))
        _ = try directory.file("sim.emu", contents: Self.emulatorCommands)
        try FileManager.default.createDirectory(atPath: directory.path + "/state", withIntermediateDirectories: true)
        child = LockedChild()
        try await start()
    }

    /// Starts (or restarts) ipmi_sim and waits until ipmitool gets an answer.
    func start() async throws {
        let process = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/ipmi_sim"),
            ["-n", "-c", directory.path + "/lan.conf", "-f", directory.path + "/sim.emu", "-s", directory.path + "/state"])
        child.set(process)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let result = try? await ipmitool(["mc", "info"]), result.status == 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("ipmi_sim on port \(port) did not answer within 20 s: \(process.stderr)")
    }

    func kill() async throws {
        guard let process = child.take() else { return }
        process.signal(SIGKILL)
        _ = try? await process.wait(timeout: .seconds(10))
    }

    /// `ipmitool -I lanplus -C 3` against this BMC: the oracle.
    func ipmitool(_ arguments: [String], user: String = IPMISimulator.user, password: String = IPMISimulator.password) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/ipmitool"),
            ["-I", "lanplus", "-H", "127.0.0.1", "-p", "\(port)", "-U", user, "-P", password, "-C", "3", "-N", "1", "-R", "2"] + arguments,
            timeout: .seconds(30))
    }

    /// The power state as ipmitool reads it.
    func oraclePower() async throws -> String {
        let result = try await ipmitool(["chassis", "power", "status"])
        guard result.status == 0 else { throw TestFailure("ipmitool power status failed: \(result.stderr)") }
        return result.stdout.contains("is on") ? "on" : result.stdout.contains("is off") ? "off" : result.stdout
    }

    /// What the chassis script was told, one call per line.
    var chassisCalls: String {
        (try? String(contentsOfFile: directory.path + "/chassis/calls.log", encoding: .utf8)) ?? ""
    }

    deinit {
        child.take()?.signal(SIGKILL)
    }

    static func chassisScript(directory: String) -> String {
        """
        #!/bin/sh
        # ipmi_sim chassis_control: power and boot device kept in files.
        ST=\(directory); mkdir -p "$ST"
        echo "$*" >> "$ST/calls.log"
        mc=$1; op=$2; shift 2
        case $op in
          get) for k in "$@"; do case $k in
                power) echo "power:$(cat "$ST/power" 2>/dev/null || echo 0)";;
                boot) echo "boot:$(cat "$ST/boot" 2>/dev/null || echo none)";;
                *) echo "$k:0";; esac; done;;
          set) while [ $# -ge 2 ]; do k=$1; v=$2; shift 2; case $k in
                power) echo "$v" > "$ST/power";;
                reset) echo 1 > "$ST/power";;
                shutdown) echo 0 > "$ST/power";;
                boot) echo "$v" > "$ST/boot";;
                esac; done;;
          check) exit 0;;
        esac
        exit 0

        """
    }

    static func lanConfiguration(port: Int, chassis: String) -> String {
        lanConfiguration(address: "127.0.0.1", port: port, control: """
              chassis_control "\(chassis) 0x20"
              startnow false
              poweroff_wait 2
              kill_wait 2
            """)
    }

    /// A BMC whose LAN channel listens on `address`:`port`; `control` says what drives the
    /// chassis (a chassis_control program, or a QEMU KCS interface). Users admin/password and the anonymous one.
    static func lanConfiguration(address: String, port: Int, control: String) -> String {
        """
        name "anvil-test-bmc"
        set_working_mc 0x20
          startlan 1
            addr \(address) \(port)
            priv_limit admin
            allowed_auths_callback none md2 md5 straight
            allowed_auths_user none md2 md5 straight
            allowed_auths_operator none md2 md5 straight
            allowed_auths_admin none md2 md5 straight
            guid a123456789abcdefa123456789abcdef
          endlan
        \(control)
          user 1 true  ""        "test"     user     10       none md2 md5 straight
          user 2 true  "admin"   "password" admin    10       none md2 md5 straight

        """
    }

    static let emulatorCommands = """
        mc_setbmc 0x20
        mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
        sel_enable 0x20 1000 0x0a
        mc_enable 0x20

        """
}

/// The current ipmi_sim process, replaced on restart.
final class LockedChild: Sendable {
    private let process = Mutex<ChildProcess?>(nil)
    func set(_ child: ChildProcess) { process.withLock { $0 = child } }
    func take() -> ChildProcess? { process.withLock { value in defer { value = nil }; return value } }
}
