import AnvilJSON
import AnvilJSONPatch
import Foundation
import Testing

/// The json-patch/json-patch-tests suite, copied into `Conformance/` with its licence note (SOURCE.txt).
@Suite struct JSONPatchConformanceTests {
    static let casesURL = Bundle.module.url(forResource: "tests", withExtension: "json", subdirectory: "Conformance")
        ?? URL(fileURLWithPath: "Conformance/tests.json")

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
