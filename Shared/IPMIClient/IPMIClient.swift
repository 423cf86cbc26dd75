import AnvilIPMI
import AnvilPower
import Logging
import NIOCore
import NIOPosix

/// One BMC, spoken to over RMCP+: keeps its session and reuses it, re-establishes it after expiry
/// or error, runs one command at a time in arrival order, and stays inside a global limit on
/// commands in flight across all BMCs. Every failure is a typed ``PowerError``.
public actor IPMIClient {
    public let endpoint: IPMIEndpoint
    let policy: IPMIRetryPolicy
    /// A session unused this long is replaced before the next command: BMCs drop idle sessions
    /// (60 s is common) without telling, and finding out costs a full round of retries.
    let sessionIdleLimit: Duration
    let group: any EventLoopGroup
    let logger: Logger
    private let gate: PowerCommandGate

    var socket: IPMIDatagramSocket?
    var session: IPMISessionState?
    var sessionLastUsed: ContinuousClock.Instant?
    var messageTag: UInt8 = 0
    var sessionlessSequence: UInt8 = 0

    /// Sessions opened so far (for `bmc.info`, metrics and tests of session reuse).
    public internal(set) var sessionsEstablished = 0
    public private(set) var commandsSent = 0

    public init(
        endpoint: IPMIEndpoint, policy: IPMIRetryPolicy = IPMIRetryPolicy(), sessionIdleLimit: Duration = .seconds(30),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, limiter: AsyncFIFOSemaphore? = nil,
        logger: Logger = Logger(label: "anvil.ipmi")
    ) {
        self.endpoint = endpoint
        self.policy = policy
        self.sessionIdleLimit = sessionIdleLimit
        self.group = group
        self.gate = PowerCommandGate(limiter: limiter)
        var logger = logger
        logger[metadataKey: "bmc"] = "\(endpoint.address)"
        self.logger = logger
    }

    /// The cipher suite and privilege of the live session, if any.
    public var sessionDescription: (cipherSuite: UInt8, privilege: IPMIPrivilege)? {
        session.map { ($0.suite.id, $0.privilege) }
    }

    /// Sends one command in the session (opening one when needed) and returns the BMC's answer,
    /// whatever its completion code; `name` is used in error messages.
    public func execute(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse {
        try await gate.run("\(name) on \(endpoint.address)") { try await self.executeHoldingQueue(request, name: name) }
    }

    /// Closes the session (best effort) and the socket.
    public func close() async {
        _ = try? await gate.run("close") { await self.closeHoldingQueue() }
    }

    private func closeHoldingQueue() async {
        await dropSession(closeOnBMC: true)
        await socket?.close()
        socket = nil
    }

    private func executeHoldingQueue(_ request: IPMIRequest, name: String) async throws(PowerError) -> IPMIResponse {
        if let lastUsed = sessionLastUsed, session != nil, ContinuousClock.now - lastUsed > sessionIdleLimit {
            logger.debug("session idle too long; opening a new one")
            await dropSession(closeOnBMC: true)
        }
        let hadSession = session != nil
        do {
            try await ensureSession()
            return try await exchangeInSession(request, name: name, attempts: policy.retries + 1)
        } catch let error as PowerError {
            // A session the BMC forgot (restart, expiry) looks like silence: start over once.
            guard hadSession, case .unreachable = error else { throw error }
            logger.info("no answer in the session; re-establishing", metadata: ["command": "\(name)", "error": "\(error)"])
            await dropSession(closeOnBMC: false)
            do {
                try await ensureSession()
                return try await exchangeInSession(request, name: name, attempts: policy.retries + 1)
            } catch {
                throw Self.powerError(error, endpoint: endpoint, step: name)
            }
        } catch {
            throw Self.powerError(error, endpoint: endpoint, step: name)
        }
    }

    func dropSession(closeOnBMC: Bool) async {
        if closeOnBMC, let current = session {
            _ = try? await exchangeInSession(CloseSession.request(managedSystemSessionID: current.managedSystemSessionID), name: "Close Session", attempts: 1)
        }
        session = nil
        sessionLastUsed = nil
    }

    func openSocket() async throws(PowerError) -> IPMIDatagramSocket {
        if let socket { return socket }
        do {
            let socket = try await IPMIDatagramSocket.connect(host: endpoint.host, port: endpoint.port, group: group)
            self.socket = socket
            return socket
        } catch {
            throw .unreachable("cannot open a UDP socket to \(endpoint.address): \(error)")
        }
    }

    /// Sends `datagram` (rebuilt by `make` for each attempt) and waits for an answer `accept`
    /// takes, resending on silence with the policy's backoff. Answers `accept` refuses (late,
    /// foreign, replayed) are dropped without ending the wait.
    func exchange<Answer: Sendable>(
        name: String, attempts: Int, make: () throws -> [UInt8], accept: ([UInt8]) throws -> Answer?
    ) async throws -> Answer {
        let socket = try await openSocket()
        await socket.discardQueued()
        for attempt in 0..<max(1, attempts) {
            if Task.isCancelled { throw PowerError.deadlineExceeded("\(name) on \(endpoint.address) cancelled") }
            let datagram = try make()
            do {
                try await socket.send(datagram)
            } catch {
                throw PowerError.unreachable("\(name): cannot send to \(endpoint.address): \(error)")
            }
            commandsSent += 1
            let deadline = ContinuousClock.now + policy.timeout(forAttempt: attempt)
            while true {
                let remaining = deadline - ContinuousClock.now
                guard remaining > .zero else { break }
                let bytes: [UInt8]?
                do {
                    bytes = try await socket.receive(timeout: remaining)
                } catch {
                    await dropSession(closeOnBMC: false)
                    throw PowerError.unreachable("\(name): \(endpoint.address) refused the datagram (nothing listening on that port?): \(error)")
                }
                guard let bytes else { break }
                if let answer = try accept(bytes) { return answer }
            }
            if attempt + 1 < attempts {
                logger.debug("no answer; resending", metadata: ["command": "\(name)", "attempt": "\(attempt + 2)"])
            }
        }
        throw PowerError.unreachable("\(name): no answer from \(endpoint.address) after \(max(1, attempts)) tries")
    }

    static func powerError(_ error: any Error, endpoint: IPMIEndpoint, step: String) -> PowerError {
        IPMIErrorMapping.error(error, step: step, target: endpoint.address)
    }
}
