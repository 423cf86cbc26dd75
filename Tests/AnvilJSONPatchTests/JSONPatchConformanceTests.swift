import AnvilJSON
import AnvilJSONPatch
import Foundation
import Testing

/// The json-patch/json-patch-tests suite (see /work/shared/conformance/json-patch/SOURCE.txt).
@Suite struct JSONPatchConformanceTests {
    /// /work/shared/conformance/json-patch/tests.json, found from this file: three levels above its
    /// directory. Symlinks are resolved so a scratch package that links this directory finds it too.
    static let casesURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/conformance/json-patch/tests.json")

    @Test func everyEnabledCasePasses() throws {
        let url = Self.casesURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("conformance cases missing: expected \(url.path)")
            return
        }
        guard case .array(let cases) = try JSONValue(data: Data(contentsOf: url)) else {
            Issue.record("\(url.path) is not a JSON array")
            return
        }
        var run = 0
        for (index, testCase) in cases.enumerated() where testCase["disabled"]?.boolValue != true {
            run += 1
            let name = "case \(index) (\(testCase["comment"]?.stringValue ?? "no comment"))"
            guard let document = testCase["doc"], let patchJSON = testCase["patch"] else {
                Issue.record("\(name): no doc or patch")
                continue
            }
            let result = Result { () throws(JSONPatchError) -> JSONValue in
                try JSONPatch(json: patchJSON).apply(to: document)
            }
            switch (result, testCase["expected"], testCase["error"]) {
            case (.success(let actual), let expected?, _):
                #expect(actual.isJSONEqual(to: expected), "\(name): got \(actual.jsonString()), expected \(expected.jsonString())")
            case (.success(let actual), nil, let error?):
                Issue.record("\(name): should fail (\(error.jsonString())) but gave \(actual.jsonString())")
            case (.success, nil, nil):
                break
            case (.failure(let error), nil, _?):
                // Every case's patch is an array, so each failure must name its operation.
                #expect(error.index != nil, "\(name): error names no operation: \(error)")
            case (.failure(let error), _, _):
                Issue.record("\(name): should succeed but failed: \(error)")
            }
        }
        #expect(run > 0, "no enabled cases in \(url.path)")
    }
}
