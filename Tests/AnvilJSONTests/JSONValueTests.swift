import Foundation
import Testing
@testable import AnvilJSON

@Suite struct JSONValueTests {
    @Test func roundTripsEveryCase() throws {
        let value: JSONValue = ["a": 1, "b": 2.5, "c": "x", "d": [true, .null], "e": ["f": false]]
        let data = try value.data()
        #expect(try JSONValue(data: data) == value)
    }

    @Test func sortedKeysGiveStableBytes() throws {
        let value: JSONValue = ["b": 1, "a": 2]
        #expect(value.jsonString() == #"{"a":2,"b":1}"#)
    }

    @Test func integersStayIntegers() throws {
        let value = try JSONValue(data: Data("[1, 1.5, 9007199254740993]".utf8))
        #expect(value == [.int(1), .double(1.5), .int(9_007_199_254_740_993)])
    }

    @Test func subscriptReadsAndWrites() {
        var value: JSONValue = ["spec": ["accepted": false]]
        value["status"] = ["ready": true]
        #expect(value["status"]?["ready"]?.boolValue == true)
        #expect(value["spec"]?["accepted"]?.boolValue == false)
    }
}
