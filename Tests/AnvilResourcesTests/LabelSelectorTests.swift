import Testing

@testable import AnvilResources

@Suite struct LabelSelectorTests {
    @Test func parsesEveryTermForm() throws {
        let selector = try LabelSelector(parsing: "a=b, c==d,e!=f,g in (x, y),h notin (z),i,!j")
        #expect(selector.matchLabels == ["a": "b", "c": "d"])
        #expect(selector.matchExpressions == [
            .init(key: "e", operator: .notIn, values: ["f"]),
            .init(key: "g", operator: .in, values: ["x", "y"]),
            .init(key: "h", operator: .notIn, values: ["z"]),
            .init(key: "i", operator: .exists),
            .init(key: "j", operator: .doesNotExist),
        ])
    }

    @Test func emptyTextMatchesEverything() throws {
        let selector = try LabelSelector(parsing: "")
        #expect(selector.isEmpty)
        #expect(selector.matches(["any": "thing"]))
    }

    @Test func errorsNameTheBadTerm() {
        expectError("selector: invalid term \"g in x\": values must be in parentheses, e.g. (a,b)") {
            try LabelSelector(parsing: "a=b,g in x")
        }
        expectError("selector: invalid term \"bad key=x\": \"bad key\" is not a valid label key") {
            try LabelSelector(parsing: "bad key=x")
        }
        expectError("selector: invalid term \"a=b c\": \"b c\" is not a valid label value") {
            try LabelSelector(parsing: "a=b c")
        }
        expectError("selector: invalid term \"a has (x)\": expected \"in\" or \"notin\", got \"has\"") {
            try LabelSelector(parsing: "a has (x)")
        }
    }

    @Test func matchingFollowsKubernetes() throws {
        let selector = try LabelSelector(parsing: "zone in (east,central),environment!=prod,common-label=true")
        #expect(selector.matches(["zone": "east", "environment": "test", "common-label": "true"]))
        #expect(selector.matches(["zone": "central", "common-label": "true"]))  // NotIn matches an absent key
        #expect(!selector.matches(["zone": "west", "common-label": "true"]))
        #expect(!selector.matches(["zone": "east", "environment": "prod", "common-label": "true"]))
        #expect(!selector.matches(["zone": "east"]))
        let exists = try LabelSelector(parsing: "role,!decommissioned")
        #expect(exists.matches(["role": "worker"]))
        #expect(!exists.matches(["role": "worker", "decommissioned": ""]))
        #expect(!exists.matches(nil))
    }

    @Test func fixtureSelectorMatchesDocumentedServers() throws {
        let serverClass = try ServerClass(Fixtures.resource("serverclass-v1alpha2"))
        let selector = try #require(serverClass.spec.selector)
        #expect(selector.matches(["common-label": "true", "zone": "east", "environment": "test"]))
        #expect(!selector.matches(["common-label": "true", "zone": "east", "environment": "prod"]))
    }
}
