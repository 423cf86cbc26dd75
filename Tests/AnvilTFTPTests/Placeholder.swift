import Testing

@Test func placeholderAnvilTFTPTests() {}
