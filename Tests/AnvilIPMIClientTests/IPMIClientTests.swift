import AnvilIPMI
import AnvilPower
import Testing
@testable import AnvilIPMIClient

/// The RMCP+ client against an in-process BMC: cipher suite 17 end to end, session reuse,
/// resends, replayed answers, an impostor BMC, a forgotten session, one command at a time.
@Suite struct IPMIClientTests {
    static func backend(_ bmc: FakeBMC, suite: UInt8? = nil, password: String = "password", retries: Int = 3, limiter: AsyncFIFOSemaphore? = nil) -> IPMIBackend {
        IPMIBackend(client: IPMIClient(
            endpoint: IPMIEndpoint(host: "127.0.0.1", port: bmc.port, user: "admin", password: password, cipherSuite: suite),
            policy: IPMIRetryPolicy(timeout: .milliseconds(200), retries: retries, maximumTimeout: .milliseconds(800)), limiter: limiter))
    }

    @Test func prefersSuite17AndReusesOneSession() async throws {
        let bmc = try await FakeBMC()
        let backend = Self.backend(bmc)
        #expect(try await backend.powerState() == false)
        try await backend.power(.on)
        #expect(try await backend.powerState() == true)
        let session = try #require(await backend.client.sessionDescription)
        #expect(session.cipherSuite == 17)
        #expect(bmc.snapshot.sessionsOpened == 1)
        await backend.shutdown()
        #expect(bmc.snapshot.commands.last == 0x3C, "Close Session on shutdown")
        await bmc.stop()
    }

    @Test func suite3WhenTheBMCHasNo17AndForcedSuites() async throws {
        let bmc = try await FakeBMC(.init(suites: [3]))
        let backend = Self.backend(bmc)
        _ = try await backend.powerState()
        #expect(await backend.client.sessionDescription?.cipherSuite == 3)
        let forced = Self.backend(bmc, suite: 17)
        await #expect(throws: PowerError.self) { _ = try await forced.powerState() }
        let invalid = Self.backend(bmc, suite: 0)
        do {
            _ = try await invalid.powerState()
            Issue.record("suite 0 must never be used")
        } catch {
            #expect(error.reason == "InvalidConfiguration", "\(error)")
        }
        await bmc.stop()
    }

    @Test func resendsLostDatagramsAndIgnoresReplayedAnswers() async throws {
        let bmc = try await FakeBMC(.init(dropNext: 2, duplicateAnswers: true))
        let backend = Self.backend(bmc)
        try await backend.power(.on)
        #expect(try await backend.powerState() == true)
        #expect(try await backend.powerState() == true)
        #expect(bmc.snapshot.sessionsOpened == 1)
        await bmc.stop()
    }

    @Test func anImpostorBMCIsRefusedBeforeAnythingIsDerived() async throws {
        let bmc = try await FakeBMC(.init(badRAKP2: true))
        do {
            _ = try await Self.backend(bmc).powerState()
            Issue.record("a bad RAKP 2 code must fail")
        } catch {
            #expect(error.reason == "AuthenticationFailed")
            #expect(error.message.contains("RAKP 2"), "\(error.message)")
        }
        #expect(bmc.snapshot.sessionsOpened == 0)
        await bmc.stop()
    }

    @Test func wrongPasswordAndUnknownUserAreAuthenticationErrors() async throws {
        let bmc = try await FakeBMC()
        do {
            _ = try await Self.backend(bmc, password: "wrong").powerState()
            Issue.record("wrong password")
        } catch {
            #expect(error.reason == "AuthenticationFailed")
            #expect(error.message.contains("wrong password"))
        }
        let unknown = IPMIBackend(client: IPMIClient(endpoint: IPMIEndpoint(host: "127.0.0.1", port: bmc.port, user: "nobody", password: "x")))
        do {
            _ = try await unknown.powerState()
            Issue.record("unknown user")
        } catch {
            #expect(error.reason == "AuthenticationFailed", "\(error)")
        }
        await bmc.stop()
    }

    @Test func reestablishesAForgottenSession() async throws {
        let bmc = try await FakeBMC()
        let backend = Self.backend(bmc, retries: 1)
        try await backend.power(.on)
        bmc.forgetSessions()
        #expect(try await backend.powerState() == true)
        #expect(bmc.snapshot.sessionsOpened == 2)
        #expect(await backend.client.sessionsEstablished == 2)
        await bmc.stop()
    }

    @Test func cycleWhileOffPowersOn() async throws {
        let bmc = try await FakeBMC()
        let backend = Self.backend(bmc)
        #expect(try await backend.powerState() == false)
        try await backend.power(.cycle)
        #expect(try await backend.powerState() == true)
        await bmc.stop()
    }

    @Test func bootFlagsCarryValidPersistentAndEFIBits() async throws {
        let bmc = try await FakeBMC()
        let backend = Self.backend(bmc)
        try await backend.setBootDevice(BootDeviceRequest(device: .pxe, mode: .uefi, persistent: false))
        #expect(bmc.snapshot.bootFlags == [0xA0, 0x04, 0x00, 0x00, 0x00])
        try await backend.setBootDevice(BootDeviceRequest(device: .pxe, mode: .uefi, persistent: true))
        #expect(bmc.snapshot.bootFlags == [0xE0, 0x04, 0x00, 0x00, 0x00])
        try await backend.setBootDevice(BootDeviceRequest(device: .disk, mode: .bios, persistent: false))
        #expect(bmc.snapshot.bootFlags == [0x80, 0x08, 0x00, 0x00, 0x00])
        let read = try await backend.bootFlags()
        #expect(read.device == .disk && read.valid && !read.efi && !read.persistent)
        await bmc.stop()
    }

    @Test func oneCommandInFlightPerBMCEvenWhenCalledConcurrently() async throws {
        let bmc = try await FakeBMC(.init(answerDelay: .milliseconds(30)))
        let backend = Self.backend(bmc)
        _ = try await backend.powerState()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask { if index % 2 == 0 { try await backend.power(.on) } else { _ = try await backend.powerState() } }
            }
            try await group.waitForAll()
        }
        #expect(bmc.snapshot.maxInFlight == 1, "commands overlapped on the wire")
        #expect(bmc.snapshot.sessionsOpened == 1)
        await bmc.stop()
    }

    @Test func nothingListeningIsUnreachableAtOnce() async throws {
        let bmc = try await FakeBMC()
        let port = bmc.port
        await bmc.stop()
        let backend = IPMIBackend(client: IPMIClient(
            endpoint: IPMIEndpoint(host: "127.0.0.1", port: port, user: "admin", password: "password"),
            policy: IPMIRetryPolicy(timeout: .milliseconds(200), retries: 2, maximumTimeout: .milliseconds(400))))
        let started = ContinuousClock.now
        do {
            _ = try await backend.powerState()
            Issue.record("nothing listens")
        } catch {
            #expect(error.reason == "Unreachable")
            #expect(error.message.contains("127.0.0.1:\(port)"))
        }
        // ICMP port unreachable usually ends it at once; when the kernel rate-limits ICMP (a busy
        // test run), the retry budget (0.2 + 0.4 + 0.4 s) does. Either way it is bounded.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func theGlobalLimitHoldsAcrossBMCs() async throws {
        let limiter = AsyncFIFOSemaphore(permits: 1)
        let first = try await FakeBMC(.init(answerDelay: .milliseconds(20)))
        let second = try await FakeBMC(.init(answerDelay: .milliseconds(20)))
        let a = Self.backend(first, limiter: limiter)
        let b = Self.backend(second, limiter: limiter)
        async let x: Bool = a.powerState()
        async let y: Bool = b.powerState()
        _ = try await (x, y)
        #expect(first.snapshot.sessionsOpened == 1 && second.snapshot.sessionsOpened == 1)
        await first.stop()
        await second.stop()
    }
}
