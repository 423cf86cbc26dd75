import AnvilJSON
import Testing

@testable import AnvilResources

/// Server `spec.redfish`: decoding, defaults, strict fields, rules and round trips.
@Suite struct RedfishBlockTests {
    static let full = """
          redfish:
            endpoint: https://10.0.0.5
            systemId: System.Embedded.1
            userFrom:
              secretKeyRef:
                name: redfish-credentials
                key: username
            passFrom:
              secretKeyRef:
                namespace: default
                name: redfish-credentials
                key: password
            auth: basic
            insecureSkipVerify: true
        """

    @Test func theFullBlockDecodes() throws {
        let server = try Server(validated(serverYAML(spec: Self.full)))
        let redfish = try #require(server.spec.redfish)
        #expect(redfish.endpoint == "https://10.0.0.5")
        #expect(redfish.systemId == "System.Embedded.1")
        #expect(redfish.userFrom?.secretKeyRef == SecretKeyRef(name: "redfish-credentials", key: "username"))
        #expect(redfish.passFrom?.secretKeyRef?.namespace == "default")
        #expect(redfish.effectiveAuth == .basic)
        #expect(redfish.effectiveInsecureSkipVerify)
    }

    @Test func defaultsAreSessionAndVerifiedCertificates() throws {
        let server = try Server(validated(serverYAML(spec: """
              redfish:
                endpoint: http://127.0.0.1:8000
                user: admin
                pass: secret
            """)))
        let redfish = try #require(server.spec.redfish)
        #expect(redfish.auth == nil)
        #expect(redfish.effectiveAuth == .session)
        #expect(redfish.insecureSkipVerify == nil)
        #expect(!redfish.effectiveInsecureSkipVerify)
        #expect(redfish.user == "admin" && redfish.pass == "secret")
    }

    @Test func anAbsentBlockIsNil() throws {
        let server = try Server(validated(serverYAML(spec: "  accepted: true")))
        #expect(server.spec.redfish == nil)
        #expect(server.spec.bmc == nil)
    }

    @Test func theBlockRoundTripsThroughTheTypedModelYAMLAndJSON() throws {
        let stored = try validated(serverYAML(spec: Self.full))
        let typed = try Server(stored)
        // The typed form re-validates and decodes to the same value.
        #expect(try Server(ResourceValidator.validate(typed.resource)) == typed)
        #expect(try Manifest.parse(Manifest.yaml([stored])).map(ResourceValidator.validate) == [stored])
        #expect(try Manifest.parse(Manifest.json(stored, pretty: false)).map(ResourceValidator.validate) == [stored])
        // Written as given: nothing is defaulted into the stored form.
        #expect(stored.spec?["redfish"] == [
            "endpoint": "https://10.0.0.5", "systemId": "System.Embedded.1", "auth": "basic", "insecureSkipVerify": true,
            "userFrom": ["secretKeyRef": ["name": "redfish-credentials", "key": "username"]],
            "passFrom": ["secretKeyRef": ["namespace": "default", "name": "redfish-credentials", "key": "password"]],
        ])
    }

    @Test func sitsBesideBMCAndManagementAPI() throws {
        let server = try Server(validated(serverYAML(spec: """
              bmc:
                endpoint: 10.0.0.6
              managementApi:
                endpoint: 127.0.0.1:8001
              redfish:
                endpoint: https://10.0.0.5
            """)))
        #expect(server.spec.bmc?.endpoint == "10.0.0.6")
        #expect(server.spec.managementApi?.endpoint == "127.0.0.1:8001")
        #expect(server.spec.redfish?.endpoint == "https://10.0.0.5")
    }

    @Test func theEndpointMustBeAnHTTPOrHTTPSURL() {
        expectError("spec.redfish.endpoint: \"10.0.0.5\" is not an http or https URL (e.g. https://10.0.0.5)") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: 10.0.0.5"))
        }
        expectError("spec.redfish.endpoint: \"ftp://10.0.0.5\" is not an http or https URL (e.g. https://10.0.0.5)") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: ftp://10.0.0.5"))
        }
        expectError("spec.redfish.endpoint: \"https://\" has no host") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: https://"))
        }
        expectError(
            "spec.redfish.endpoint: \"https://10.0.0.5/redfish/v1\" must not have a path (the service is always under /redfish/v1)"
        ) {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: https://10.0.0.5/redfish/v1"))
        }
        expectError("spec.redfish.endpoint: required") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: \"\""))
        }
        expectError("spec.redfish.endpoint: required") {
            try validated(serverYAML(spec: "  redfish:\n    user: admin"))
        }
    }

    @Test func fieldErrorsNameTheField() {
        expectError("spec.redfish.auth: \"digest\" is not one of basic, session") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: https://10.0.0.5\n    auth: digest"))
        }
        expectError("spec.redfish.insecureSkipVerify: expected boolean") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: https://10.0.0.5\n    insecureSkipVerify: \"yes\""))
        }
        expectError("spec.redfish.password: unknown field") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: https://10.0.0.5\n    password: x"))
        }
        expectError("spec.redfish.passFrom.secretKeyRef: required") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: https://10.0.0.5\n    passFrom: {}"))
        }
        expectError("spec.redfish.userFrom.secretKeyRef.key: required") {
            try validated(serverYAML(spec: """
                  redfish:
                    endpoint: https://10.0.0.5
                    userFrom:
                      secretKeyRef:
                        name: creds
                        key: ""
                """))
        }
        expectError("spec.redfish.systemId: \"Systems/1\" is not a system Id (non-empty, no \"/\")") {
            try validated(serverYAML(spec: "  redfish:\n    endpoint: https://10.0.0.5\n    systemId: Systems/1"))
        }
    }

    /// The example in docs/redfish.md, word for word.
    @Test func theDocumentedExampleValidates() throws {
        let manifest = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: redfish-credentials
              namespace: default
            stringData:
              username: root
              password: calvin
            ---
            apiVersion: metal.sidero.dev/v1alpha2
            kind: Server
            metadata:
              name: 4c4c4544-0047-3010-8052-b4c04f564433
            spec:
              accepted: true
              pxeMode: uefi
              redfish:
                endpoint: https://10.0.0.5
                systemId: System.Embedded.1
                userFrom:
                  secretKeyRef: {namespace: default, name: redfish-credentials, key: username}
                passFrom:
                  secretKeyRef: {namespace: default, name: redfish-credentials, key: password}
                insecureSkipVerify: true
            """
        let resources = try Manifest.parse(manifest).map(ResourceValidator.validate)
        #expect(resources.map(\.kind) == ["Secret", "Server"])
        let redfish = try #require(try Server(resources[1]).spec.redfish)
        #expect(redfish.passFrom?.secretKeyRef?.key == "password")
        #expect(redfish.effectiveAuth == .session)
    }

    /// The block is Anvil's own: v1alpha1 conversion leaves it as it is (kept on the way up,
    /// untouched on the way down), so writing a v1alpha1 object never loses or breaks it.
    @Test func conversionToV1Alpha1StillWorks() throws {
        let stored = try validated(serverYAML(spec: Self.full))
        let legacy = try ResourceConversion.convert(stored, toAPIVersion: "metal.sidero.dev/v1alpha1")
        #expect(legacy.apiVersion == "metal.sidero.dev/v1alpha1")
        let back = try ResourceValidator.validate(legacy)
        #expect(try Server(back).spec.redfish == Server(stored).spec.redfish)
    }
}
