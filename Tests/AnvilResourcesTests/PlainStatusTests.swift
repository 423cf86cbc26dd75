import AnvilJSON
import Testing
@testable import AnvilResources

/// A ServerClass status of plain name lists skips the strict coders (thousands of names on a big
/// fleet) and is stored as given; anything else still gets the strict check and its messages.
@Suite struct PlainStatusTests {
    func serverClass(status: JSONValue?) -> Resource {
        var body: [String: JSONValue] = ["spec": ["selector": ["matchLabels": ["rack": "r1"]]]]
        if let status { body["status"] = status }
        return Resource(apiVersion: "metal.sidero.dev/v1alpha2", kind: "ServerClass", metadata: ObjectMeta(name: "c"), body: body)
    }

    @Test func aPlainStatusIsStoredAsGiven() throws {
        let names = (0..<5000).map { JSONValue.string("00000000-0000-0000-0000-\(String(format: "%012d", $0))") }
        let status: JSONValue = ["serversAvailable": .array(names), "serversInUse": ["a"]]
        let validated = try ResourceValidator.validate(serverClass(status: status))
        #expect(validated.body["status"] == status)
        #expect(try ServerClass(validated).status.serversAvailable.count == 5000)
        // The spec is still checked and normalised strictly.
        #expect(validated.body["spec"]?["selector"]?["matchLabels"]?["rack"]?.stringValue == "r1")
    }

    @Test func theSameResultAsTheStrictPath() throws {
        let plain = try ResourceValidator.validate(serverClass(status: ["serversAvailable": ["x", "y"]]))
        #expect(plain.body["status"] == ["serversAvailable": ["x", "y"]])
        #expect(ServerClassStatus.plain(["serversAvailable": ["x"], "serversInUse": []]) == ServerClassStatus(serversAvailable: ["x"]))
    }

    @Test func anythingElseIsCheckedStrictly() {
        #expect(ServerClassStatus.plain(["serversAvailable": [1]]) == nil)
        #expect(ServerClassStatus.plain(["other": []]) == nil)
        #expect(throws: ResourceError.self) { try ResourceValidator.validate(serverClass(status: ["serversAvailable": [1]])) }
        do {
            _ = try ResourceValidator.validate(serverClass(status: ["serversAvailable": [], "bogus": true]))
            Issue.record("an unknown status field was accepted")
        } catch {
            #expect("\(error)".contains("status.bogus"))
        }
        // And a bad spec is still refused when the status is plain.
        var bad = serverClass(status: ["serversAvailable": []])
        bad.body["spec"] = ["bootFromDiskMethod": "teleport"]
        #expect(throws: ResourceError.self) { try ResourceValidator.validate(bad) }
    }
}
