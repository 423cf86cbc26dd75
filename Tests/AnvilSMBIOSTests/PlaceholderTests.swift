import Testing

@Suite struct SMBIOSPlaceholderTests {
    @Test func builds() {}
}
