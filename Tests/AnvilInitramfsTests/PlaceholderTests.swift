import Testing

@Suite struct InitramfsPlaceholderTests {
    @Test func builds() {}
}
