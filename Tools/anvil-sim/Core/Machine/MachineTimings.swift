/// How long a simulated machine takes for the things that take time on real hardware, and how
/// it waits between retries (docs/simulator.md "Timings"). Tests shorten them.
public struct MachineTimings: Sendable, Equatable {
    /// The agent's wipe, whatever the disk size.
    public var wipe: Duration
    /// Between failed boot or config attempts (iPXE's retry loop, an installer waiting for its config).
    public var retry: Duration
    /// Attempts at bootd before the machine reboots (boot.ipxe's ten rounds) and at the config
    /// before the installer reboots.
    public var attempts: Int
    /// The agent's pause after its last step before rebooting (`AgentProgram`: 3 s).
    public var agentDone: Duration
    /// The agent's pause before rebooting when not accepted or failed (`AgentProgram`: 10 s).
    public var agentNotDone: Duration
    /// The installed OS's pause between reporting installed and rebooting.
    public var installed: Duration
    /// The agent API's first retry delay (it doubles up to 30 s, as the real agent).
    public var agentRetry: Duration
    /// From power-on or reset to the first boot device (firmware POST: 30 s to minutes on real
    /// servers). Zero by default, which makes a machine that reboots in a loop (a clean server
    /// Anvil cannot power off) far busier than hardware could be.
    public var post: Duration

    public init(
        wipe: Duration = .seconds(5), retry: Duration = .seconds(3), attempts: Int = 10, agentDone: Duration = .seconds(3),
        agentNotDone: Duration = .seconds(10), installed: Duration = .seconds(1), agentRetry: Duration = .seconds(1),
        post: Duration = .zero
    ) {
        self.post = post
        self.wipe = wipe
        self.retry = retry
        self.attempts = attempts
        self.agentDone = agentDone
        self.agentNotDone = agentNotDone
        self.installed = installed
        self.agentRetry = agentRetry
    }

    /// Everything in milliseconds: for tests.
    public static func fast(wipe: Duration = .milliseconds(200)) -> MachineTimings {
        MachineTimings(wipe: wipe, retry: .milliseconds(50), attempts: 5, agentDone: .milliseconds(20),
                       agentNotDone: .milliseconds(50), installed: .milliseconds(20), agentRetry: .milliseconds(20))
    }
}
