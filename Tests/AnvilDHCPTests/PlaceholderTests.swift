import Testing

@Suite struct DHCPPlaceholderTests {
    @Test func builds() {}
}
