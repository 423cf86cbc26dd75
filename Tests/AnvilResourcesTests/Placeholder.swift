import Testing

@Test func placeholderAnvilResourcesTests() {}
