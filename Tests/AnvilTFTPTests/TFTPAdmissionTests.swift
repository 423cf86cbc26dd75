@testable import AnvilTFTP
import Testing

@Suite struct TFTPAdmissionTests {
    /// `#expect` cannot call a mutating method itself.
    func take<Client>(_ admission: inout TFTPAdmission<Client>, _ client: Client, _ now: Duration) -> Bool {
        admission.takeRequestToken(for: client, now: now)
    }

    @Test func capsTransfersOverallAndPerClient() {
        var admission = TFTPAdmission<String>(limits: .init(maximumTransfers: 3, maximumTransfersPerClient: 2, requestsPerSecondPerClient: 0))
        #expect(admission.admit("a") == nil)
        #expect(admission.admit("a") == nil)
        #expect(admission.admit("a") == .clientBusy)
        #expect(admission.admit("b") == nil)
        #expect(admission.admit("c") == .serverBusy)
        admission.finished("a")
        #expect(admission.activeTransfers == 2)
        #expect(admission.admit("c") == nil)
        admission.finished("unknown")  // never admitted: ignored
        #expect(admission.activeTransfers == 3)
    }

    @Test func zeroMeansUnlimited() {
        var admission = TFTPAdmission<String>(limits: .init(maximumTransfers: 0, maximumTransfersPerClient: 0, requestsPerSecondPerClient: 0))
        for _ in 0..<10_000 { #expect(admission.admit("a") == nil) }
        #expect(take(&admission, "a", .zero))
    }

    @Test func requestRateIsATokenBucketPerClient() {
        var admission = TFTPAdmission<String>(limits: .init(requestsPerSecondPerClient: 10, requestBurstPerClient: 5))
        let start = Duration.seconds(100)
        for _ in 0..<5 { #expect(take(&admission, "a", start)) }
        #expect(!take(&admission, "a", start))
        #expect(take(&admission, "b", start), "another client has its own bucket")
        #expect(!take(&admission, "a", start + .milliseconds(50)))
        #expect(take(&admission, "a", start + .milliseconds(100)), "one token every 100 ms")
        #expect(!take(&admission, "a", start + .milliseconds(100)))
        // A long pause refills only up to the burst.
        let later = start + .seconds(60)
        for _ in 0..<5 { #expect(take(&admission, "a", later)) }
        #expect(!take(&admission, "a", later))
    }

    @Test func idleBucketsAreForgotten() {
        var admission = TFTPAdmission<Int>(limits: .init(requestsPerSecondPerClient: 10, requestBurstPerClient: 2))
        for client in 0..<1000 { _ = admission.takeRequestToken(for: client, now: .zero) }
        #expect(admission.buckets.count == 1000)
        admission.forgetIdleBuckets(now: .seconds(10))
        #expect(admission.buckets.isEmpty)
    }
}
