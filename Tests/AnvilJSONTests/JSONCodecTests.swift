import AnvilJSON
import Foundation
import Testing

@Suite struct JSONCodecTests {
    @Test func writerOutputParsesBackIdentically() throws {
        let value: JSONValue = [
            "s": "a\"b\\c\n\r\t\u{0}\u{1f} é 🚀", "i": .int(Int64.min), "j": .int(Int64.max), "d": -0.125,
            "big": 1.7976931348623157e308, "tiny": .double(.leastNonzeroMagnitude), "b": false, "n": .null, "a": [[], [:], [1, [2, [3]]]],
        ]
        let text = JSONWriter.string(value)
        #expect(try JSONParser.parse(text) == value)
        // Sorted keys make equal values byte-identical.
        #expect(text.hasPrefix("{\"a\":"))
    }

    @Test func parserAgreesWithFoundationOnEscapes() throws {
        let text = #"{"u":"\u00e9\ud83d\ude80\/","ws" : [ 1 , 2.5e1 , -3 ] }"#
        #expect(try JSONParser.parse(text) == ["u": "é🚀/", "ws": [1, 25.0, -3]])
    }

    @Test func parserRejectsMalformedInput() {
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "{} x", "\"a\u{01}\"", "-", "[1 2]"] {
            #expect(throws: JSONParser.Failure.self, "\(bad)") { _ = try JSONParser.parse(bad) }
        }
    }
}
