import AnvilJSON
import AnvilJSONPatch
import Foundation
import Testing

@Suite struct JSONPatchTests {
    @Test func failureLeavesTheDocumentUntouched() throws {
        let document: JSONValue = ["a": [1, 2], "b": ["c": true]]
        let copy = document
        let patch = try JSONPatch(json: [
            ["op": "remove", "path": "/a/0"],
            ["op": "move", "from": "/b", "path": "/z"],
            ["op": "test", "path": "/z/c", "value": false],
        ])
        #expect(throws: JSONPatchError.self) { _ = try patch.apply(to: document) }
        #expect(document == copy)
    }

    @Test func testComparesNumbersByValue() throws {
        let document: JSONValue = ["i": 1, "d": 2.0, "list": [1, ["x": 3]], "big": .int(9_007_199_254_740_993)]
        let patch = try JSONPatch(json: [
            ["op": "test", "path": "/i", "value": 1.0],
            ["op": "test", "path": "/d", "value": 2],
            ["op": "test", "path": "/list", "value": [1.0, ["x": 3.0]]],
        ])
        #expect(try patch.apply(to: document) == document)
        // 2^53 + 1 has no exact double; going through Double would call it equal to 2^53.
        let near = try JSONPatch(json: [["op": "test", "path": "/big", "value": .double(9_007_199_254_740_992)]])
        #expect(throws: JSONPatchError.self) { _ = try near.apply(to: document) }
        #expect(!JSONValue.int(1).isJSONEqual(to: "1"))
        #expect(!JSONValue.object(["a": 1]).isJSONEqual(to: ["a": 1, "b": 2]))
        #expect(!JSONValue.array([1]).isJSONEqual(to: [1, 1]))
    }

    @Test func moveKeepsValueAndToSamePlaceIsNoOp() throws {
        let document: JSONValue = ["a": ["b": [1, 2, 3]]]
        #expect(try JSONPatch(json: [["op": "move", "from": "/a/b/0", "path": "/a/b/-"]]).apply(to: document) == ["a": ["b": [2, 3, 1]]])
        #expect(try JSONPatch(json: [["op": "move", "from": "/a", "path": "/a"]]).apply(to: document) == document)
        #expect(throws: JSONPatchError.self) {
            _ = try JSONPatch(json: [["op": "move", "from": "/x", "path": "/x"]]).apply(to: document)
        }
    }

    @Test func nullValueIsAValue() throws {
        let patch = try JSONPatch(json: [["op": "add", "path": "/a", "value": .null], ["op": "test", "path": "/a", "value": .null]])
        #expect(try patch.apply(to: [:]) == ["a": .null])
    }

    @Test func decodesFromDataAndRoundTripsToJSON() throws {
        let text = #"[{"op":"add","path":"/a~1b","value":{"x":[1]}},{"op":"copy","from":"/a~1b","path":"/c","extra":1}]"#
        let patch = try JSONPatch(data: Data(text.utf8))
        #expect(patch.operations == [
            .add(path: try JSONPointer("/a~1b"), value: ["x": [1]]),
            .copy(from: try JSONPointer("/a~1b"), path: try JSONPointer("/c")),
        ])
        #expect(try JSONPatch(json: patch.json) == patch)
        #expect(try patch.apply(to: [:]) == ["a/b": ["x": [1]], "c": ["x": [1]]])
    }
}
