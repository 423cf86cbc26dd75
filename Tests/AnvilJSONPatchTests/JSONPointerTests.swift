import AnvilJSON
import AnvilJSONPatch
import Testing

@Suite struct JSONPointerTests {
    @Test func emptyPointerIsTheWholeDocument() throws {
        let pointer = try JSONPointer("")
        #expect(pointer.tokens.isEmpty)
        #expect(pointer.isRoot)
        #expect(pointer.parent == nil)
        #expect(pointer.description == "")
    }

    @Test func slashAloneNamesTheEmptyKey() throws {
        #expect(try JSONPointer("/").tokens == [""])
        #expect(try JSONPointer("/foo/").tokens == ["foo", ""])
        #expect(try JSONPointer("//").tokens == ["", ""])
    }

    @Test func escapesDecodeAndReencode() throws {
        let pointer = try JSONPointer("/a~1b/m~0n/~01/~10")
        #expect(pointer.tokens == ["a/b", "m~n", "~1", "/0"])
        #expect(pointer.description == "/a~1b/m~0n/~01/~10")
        #expect(JSONPointer(tokens: ["a/b", "~", "é 🚀"]).description == "/a~1b/~0/é 🚀")
        // Other characters, including percent and backslash, are literal.
        #expect(try JSONPointer(#"/c%d/i\j/k"l/ "#).tokens == ["c%d", #"i\j"#, #"k"l"#, " "])
    }

    @Test func badEscapesAndMissingSlashAreErrors() {
        for bad in ["/~2", "/~", "/a~", "/~a/b", "/~~0", "foo", "#/foo", " /foo"] {
            #expect(throws: JSONPointer.SyntaxError.self, "\(bad)") { _ = try JSONPointer(bad) }
        }
        #expect(throws: JSONPointer.SyntaxError(pointer: "/a~2", problem: "\"~2\" is not an escape (only ~0 and ~1 are)")) {
            _ = try JSONPointer("/a~2")
        }
        #expect(throws: JSONPointer.SyntaxError(pointer: "a", problem: "must be empty or start with \"/\"")) {
            _ = try JSONPointer("a")
        }
    }

    @Test func arrayIndicesAreDigitsWithoutLeadingZeros() {
        #expect(JSONPointer.arrayIndex("0") == 0)
        #expect(JSONPointer.arrayIndex("7") == 7)
        #expect(JSONPointer.arrayIndex("10") == 10)
        for bad in ["", "-", "00", "01", "-1", "+1", "1e0", "1.0", " 1", "1 ", "0x1", "١", "99999999999999999999999"] {
            #expect(JSONPointer.arrayIndex(bad) == nil, "\(bad)")
        }
    }

    @Test func dashAppendsForAddOnly() throws {
        let document: JSONValue = ["a": [1, 2]]
        #expect(try JSONPatch([.add(path: JSONPointer("/a/-"), value: 3)]).apply(to: document) == ["a": [1, 2, 3]])
        #expect(try JSONPatch([.copy(from: JSONPointer("/a/0"), path: JSONPointer("/a/-"))]).apply(to: document) == ["a": [1, 2, 1]])
        for operation in [
            JSONPatchOperation.remove(path: try JSONPointer("/a/-")),
            .replace(path: try JSONPointer("/a/-"), value: 0),
            .test(path: try JSONPointer("/a/-"), value: 2),
            .move(from: try JSONPointer("/a/-"), path: try JSONPointer("/b")),
        ] {
            #expect(throws: JSONPatchError.self, "\(operation.op)") { _ = try JSONPatch([operation]).apply(to: document) }
        }
    }

    @Test func indicesMustBeInRange() throws {
        let document: JSONValue = [1, 2]
        #expect(try JSONPatch([.add(path: JSONPointer("/2"), value: 3)]).apply(to: document) == [1, 2, 3])
        #expect(throws: JSONPatchError.self) { _ = try JSONPatch([.add(path: JSONPointer("/3"), value: 3)]).apply(to: document) }
        #expect(throws: JSONPatchError.self) { _ = try JSONPatch([.replace(path: JSONPointer("/2"), value: 3)]).apply(to: document) }
        #expect(throws: JSONPatchError.self) { _ = try JSONPatch([.test(path: JSONPointer("/01"), value: 2)]).apply(to: document) }
    }

    @Test func numericTokensAreKeysInObjects() throws {
        let document: JSONValue = ["01": "a", "-": "b"]
        #expect(try JSONPatch([.test(path: JSONPointer("/01"), value: "a"), .test(path: JSONPointer("/-"), value: "b")])
            .apply(to: document) == document)
    }

    @Test func prefixesAndParents() throws {
        let a = try JSONPointer("/a")
        let ab = try JSONPointer("/a/b")
        #expect(a.isProperPrefix(of: ab))
        #expect(!ab.isProperPrefix(of: a))
        #expect(!a.isProperPrefix(of: a))
        #expect(!a.isProperPrefix(of: try JSONPointer("/ab")))
        #expect(try JSONPointer("").isProperPrefix(of: a))
        #expect(ab.parent == a)
        #expect(a.appending("b") == ab)
    }
}
