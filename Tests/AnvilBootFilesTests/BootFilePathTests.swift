import AnvilBootFiles
import Testing

@Suite struct BootFilePathTests {
    @Test(arguments: [
        ("ipxe.efi", "ipxe.efi"), ("./ipxe.efi", "ipxe.efi"), ("a//b/./c", "a/b/c"), ("a/b/", "a/b"),
        ("....//x", "..../x"), ("%2e%2e/x", "%2e%2e/x"),
    ])
    func acceptsAndNormalises(_ requested: String, _ normalised: String) throws {
        #expect(try BootFilePath(validating: requested).description == normalised)
    }

    @Test(arguments: [
        ("", BootFilePathError.empty), (".", .empty), ("./", .empty), ("/etc/passwd", .absolute), ("..", .parentReference),
        ("../x", .parentReference), ("a/../../x", .parentReference), ("a/..", .parentReference),
        ("a\\b", .forbiddenCharacter("backslash")), ("a\u{0}b", .forbiddenCharacter("NUL")),
        ("a\nb", .forbiddenCharacter("control character")), (String(repeating: "x", count: 256), .tooLong(256)),
    ])
    func refuses(_ requested: String, _ error: BootFilePathError) {
        #expect(throws: error) { try BootFilePath(validating: requested) }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect("\(BootFilePathError.parentReference)".contains(".."))
        #expect("\(BootFilePathError.tooLong(300))".contains("300"))
        #expect(BootFilePathError.notFound.reason == "not_found")
        #expect(BootFilePathError.escapesRoot.reason == "access_violation")
    }
}
