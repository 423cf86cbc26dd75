import AnvilTFTP
import Testing
@testable import TFTPDCore

/// The short explanations sent back in ERROR packets, and the millisecond rendering of the log.
@Suite struct TFTPDecodeErrorSummaryTests {
    @Test func summariesNameTheProblem() {
        #expect(TFTPDecodeError.truncated.summary == "truncated packet")
        #expect(TFTPDecodeError.unknownOpcode(9).summary == "unknown opcode 9")
        #expect(TFTPDecodeError.filenameTooLong(length: 300).summary == "file name too long (300 bytes)")
        #expect(TFTPDecodeError.unknownMode("binary").summary == "mode must be octet or netascii")
    }

    @Test func durationMillisecondsTruncate() {
        #expect(Duration.seconds(2).milliseconds == 2000)
        #expect(Duration.microseconds(1999).milliseconds == 1)
        #expect(Duration.milliseconds(1234).milliseconds == 1234)
    }
}
