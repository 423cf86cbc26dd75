import AnvilJSON
import AnvilJSONPatch
import Foundation
import Testing

/// The messages operators read in HTTP error bodies: each names the operation index, op and path.
@Suite struct JSONPatchErrorTests {
    static let machine: JSONValue = ["machine": ["type": "worker", "network": ["interfaces": [["mtu": 1500]]]], "n": 1]

    static func message(_ patch: JSONValue, document: JSONValue = machine) -> String? {
        do {
            _ = try JSONPatch(json: patch).apply(to: document)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func missingMemberOnTheWayToPath() {
        let patch: JSONValue = [
            ["op": "test", "path": "/machine/type", "value": "worker"],
            ["op": "add", "path": "/machine/hostname", "value": "node-1"],
            ["op": "replace", "path": "/machine/install/disk", "value": "/dev/sda"],
        ]
        #expect(Self.message(patch) == #"operation 2 (replace /machine/install/disk): path not found: no member "install" in object at /machine"#)
    }

    @Test func applyFailures() {
        let cases: [(JSONValue, String)] = [
            ([["op": "remove", "path": "/nothing"]],
             #"operation 0 (remove /nothing): path not found: no member "nothing" in object at the document root"#),
            ([["op": "replace", "path": "/machine/network/interfaces/1/mtu", "value": 9000]],
             "operation 0 (replace /machine/network/interfaces/1/mtu): path not found: index 1 is out of range for array at /machine/network/interfaces (1 item)"),
            ([["op": "add", "path": "/machine/network/interfaces/2", "value": [:]]],
             "operation 0 (add /machine/network/interfaces/2): path not found: index 2 is past the end of array at /machine/network/interfaces (1 item)"),
            ([["op": "test", "path": "/machine/network/interfaces/00", "value": 1]],
             #"operation 0 (test /machine/network/interfaces/00): path not found: "00" is not an index into array at /machine/network/interfaces (leading zeros are not allowed)"#),
            ([["op": "test", "path": "/machine/network/interfaces/1e0", "value": 1]],
             #"operation 0 (test /machine/network/interfaces/1e0): path not found: "1e0" is not an index into array at /machine/network/interfaces (expected digits or "-")"#),
            ([["op": "remove", "path": "/machine/network/interfaces/99999999999999999999"]],
             #"operation 0 (remove /machine/network/interfaces/99999999999999999999): path not found: "99999999999999999999" is not an index into array at /machine/network/interfaces (too large)"#),
            ([["op": "remove", "path": "/machine/network/interfaces/-"]],
             #"operation 0 (remove /machine/network/interfaces/-): path not found: "-" (past the end) names no existing element of array at /machine/network/interfaces"#),
            ([["op": "add", "path": "/machine/type/name", "value": 1]],
             #"operation 0 (add /machine/type/name): path not found: cannot look up "name" in string at /machine/type"#),
            ([["op": "test", "path": "/machine/type", "value": "controlplane"]],
             #"operation 0 (test /machine/type): test failed: found "worker", expected "controlplane""#),
            ([["op": "test", "path": "/n", "value": 1.5]],
             "operation 0 (test /n): test failed: found 1, expected 1.5"),
            ([["op": "copy", "from": "/machine/install", "path": "/install"]],
             #"operation 0 (copy /install from /machine/install): from not found: no member "install" in object at /machine"#),
            ([["op": "move", "from": "/machine", "path": "/machine/network/machine"]],
             "operation 0 (move /machine/network/machine from /machine): cannot move a value into itself: from is a prefix of path"),
            ([["op": "remove", "path": ""]],
             #"operation 0 (remove ""): cannot remove the whole document (replace it instead)"#),
            ([["op": "remove", "path": "/a~1b "]],
             #"operation 0 (remove "/a~1b "): path not found: no member "a/b " in object at the document root"#),
        ]
        for (patch, expected) in cases {
            #expect(Self.message(patch) == expected)
        }
    }

    @Test func decodeFailures() {
        let cases: [(JSONValue, String)] = [
            ([["op": "add", "path": "/a", "value": 1], ["op": "add", "path": "/b"]],
             #"operation 1 (add /b): missing member "value""#),
            ([["op": "spam", "path": "/n", "value": 1]],
             #"operation 0 (spam /n): unknown op "spam" (expected add, remove, replace, move, copy or test)"#),
            ([["path": "/n", "value": 1]],
             #"operation 0 (/n): missing member "op""#),
            ([["op": 7, "path": "/n"]],
             #"operation 0 (/n): member "op" must be a string, found number"#),
            ([["op": "add", "value": 1]],
             #"operation 0 (add): missing member "path""#),
            ([["op": "add", "path": .null, "value": 1]],
             #"operation 0 (add): member "path" must be a string, found null"#),
            ([["op": "add", "path": "n", "value": 1]],
             #"operation 0 (add n): path is not a JSON pointer: must be empty or start with "/""#),
            ([["op": "move", "path": "/b"]],
             #"operation 0 (move /b): missing member "from""#),
            ([["op": "copy", "from": "/a~", "path": "/b"]],
             #"operation 0 (copy /b from /a~): from is not a JSON pointer: ends with an incomplete "~" escape (only ~0 and ~1 are escapes)"#),
            (["op": "add"],
             "a JSON Patch must be an array of operations, found object"),
            (["not an operation"],
             "operation 0: an operation must be an object, found string"),
        ]
        for (patch, expected) in cases {
            #expect(Self.message(patch) == expected)
        }
    }

    @Test func structuredFieldsMatchTheMessage() throws {
        let patch = try JSONPatch(json: [["op": "test", "path": "/n", "value": 1.0], ["op": "move", "from": "/n", "path": "/m/n"]])
        #expect(throws: JSONPatchError(index: 1, op: "move", path: "/m/n", from: "/n",
                                       reason: .notFound(member: "path", problem: #"no member "m" in object at the document root"#))) {
            _ = try patch.apply(to: Self.machine)
        }
    }

    @Test func unparsableText() {
        #expect(throws: JSONPatchError.self) { _ = try JSONPatch(data: Data("[{\"op\": }]".utf8)) }
        do {
            _ = try JSONPatch(data: Data("[{\"op\": }]".utf8))
        } catch {
            #expect(error.index == nil)
            #expect(error.description.hasPrefix("patch is not valid JSON: invalid JSON at byte "))
        }
    }
}
