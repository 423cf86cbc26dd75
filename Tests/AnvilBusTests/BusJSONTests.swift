import AnvilJSON
import NIOCore
import Testing

@testable import AnvilBus

@Suite struct BusJSONTests {
    private func parse(_ text: String) throws -> JSONValue {
        try BusJSON.parse(ByteBuffer(string: text))
    }

    private func write(_ value: JSONValue) -> String {
        var buffer = ByteBuffer()
        BusJSON.write(value, into: &buffer)
        return String(buffer: buffer)
    }

    @Test func parsesScalarsAndContainers() throws {
        #expect(try parse(" null ") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("-42") == .int(-42))
        #expect(try parse("1.5e3") == .double(1500))
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse(#"{"a":[1,"x",{"b":null}],"c":{}}"#) == ["a": [1, "x", ["b": .null]], "c": [:]])
        #expect(try parse("[]") == [])
    }

    @Test func parsesEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse(#""héllo""#) == .string("héllo"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "[1] x", "{a:1}", "\"\u{01}\"", "nul"])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: BusJSON.SyntaxError.self) { try parse(text) }
    }

    @Test func rejectsDeepNesting() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: BusJSON.SyntaxError.self) { try parse(text) }
    }

    @Test func writesCompactJSONThatParsesBack() throws {
        let value: JSONValue = [
            "text": "quote \" backslash \\ newline \n control \u{01} unicode é😀",
            "numbers": [0, -7, 2.5, .int(.max)],
            "flags": [true, false, .null],
            "nested": ["empty": [:], "list": []],
        ]
        let text = write(value)
        #expect(!text.contains("\n"))
        #expect(try parse(text) == value)
        #expect(try JSONValue(data: Data(text.utf8)) == value)
        #expect(write(.double(.infinity)) == "null")
    }
}

import Foundation
