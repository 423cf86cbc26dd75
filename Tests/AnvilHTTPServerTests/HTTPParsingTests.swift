import AnvilHTTPServer
import Testing

@Suite struct HTTPByteRangeTests {
    @Test func singleRanges() {
        #expect(HTTPByteRange(header: nil, size: 100) == .whole)
        #expect(HTTPByteRange(header: "bytes=0-9", size: 100) == .partial(offset: 0, length: 10))
        #expect(HTTPByteRange(header: "bytes=90-", size: 100) == .partial(offset: 90, length: 10))
        #expect(HTTPByteRange(header: "bytes=-10", size: 100) == .partial(offset: 90, length: 10))
        #expect(HTTPByteRange(header: "bytes=-1000", size: 100) == .partial(offset: 0, length: 100))
        #expect(HTTPByteRange(header: "bytes=50-1000", size: 100) == .partial(offset: 50, length: 50))
        #expect(HTTPByteRange(header: "bytes=100-", size: 100) == .unsatisfiable)
        #expect(HTTPByteRange(header: "bytes=-0", size: 100) == .unsatisfiable)
        #expect(HTTPByteRange(header: "bytes=0-0", size: 0) == .unsatisfiable)
    }

    @Test func unusableHeadersMeanTheWholeFile() {
        for header in ["items=0-1", "bytes=0-1,5-6", "bytes=5-1", "bytes=a-b", "bytes=", "bytes=-x"] {
            #expect(HTTPByteRange(header: header, size: 100) == .whole, "\(header)")
        }
    }
}

@Suite struct HTTPDateTests {
    @Test func formatsAndParsesIMFFixdate() {
        #expect(HTTPDate.format(secondsSinceEpoch: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("garbage") == nil)
    }
}

@Suite struct HTTPQueryTests {
    @Test func decodesPairs() {
        #expect(HTTPQuery.parse("uuid=a-b&mac=52-54&hostname=&x") == ["uuid": "a-b", "mac": "52-54", "hostname": "", "x": ""])
        #expect(HTTPQuery.parse("a=x%20y+z&b=%C3%A9") == ["a": "x y z", "b": "é"])
        #expect(HTTPQuery.parse("a=%zz") == nil)
        #expect(HTTPQuery.parse("a=%ff") == nil)
        #expect(HTTPQuery.decode("a+b", plusIsSpace: false) == "a+b")
        #expect(HTTPQuery.decode("..%2F..%2Fetc", plusIsSpace: false) == "../../etc")
    }
}
