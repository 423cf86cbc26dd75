import AnvilSMBIOS
import Testing

/// Checks decoded structures against the same fields in dmidecode's output.
///
/// A field rendered as nil must be absent from dmidecode's record (the structure is too
/// short for it, or dmidecode leaves it out, like a core count of 0); otherwise the
/// texts must be equal.
enum DmidecodeComparison {
    static func expectMatches(_ table: SMBIOSTable, _ records: [UInt16: Dmidecode.Record], dump: String) {
        var compared = 0
        for structure in table.structures {
            guard let fields = renderedFields(structure, version: table.version) else { continue }
            guard let record = records[structure.handle], record.type == structure.type else {
                Issue.record("\(dump): dmidecode shows no type \(structure.type) handle \(structure.handle)")
                continue
            }
            for (name, ours) in fields {
                let theirs = record.fields[name]
                let same = name == "UUID" ? ours?.lowercased() == theirs?.lowercased() : ours == theirs
                #expect(
                    same,
                    "\(dump): type \(structure.type) handle \(structure.handle) \(name): ours \(ours ?? "absent"), dmidecode \(theirs ?? "absent")"
                )
            }
            if structure.type == 17 { compareSize(structure, record, dump: dump) }
            compared += 1
        }
        #expect(compared > 0, "\(dump): no structures compared")
    }

    /// Our decoded fields as dmidecode would print them; nil for types not compared.
    static func renderedFields(_ structure: SMBIOSStructure, version: SMBIOSVersion) -> [String: String?]? {
        if let bios = SMBIOSBIOSInformation(structure) {
            return ["Vendor": text(bios.vendor), "Version": text(bios.version), "Release Date": text(bios.releaseDate)]
        }
        if let system = SMBIOSSystem(structure, version: version) {
            return [
                "Manufacturer": text(system.manufacturer), "Product Name": text(system.productName),
                "Version": text(system.version), "Serial Number": text(system.serialNumber),
                "UUID": system.uuid.map(uuidText), "Wake-up Type": system.wakeUpType.map { name(SMBIOSNames.wakeUpType($0)) },
                "SKU Number": text(system.skuNumber), "Family": text(system.family),
            ]
        }
        if let board = SMBIOSBaseboard(structure) {
            return [
                "Manufacturer": text(board.manufacturer), "Product Name": text(board.productName),
                "Version": text(board.version), "Serial Number": text(board.serialNumber),
                "Asset Tag": text(board.assetTag),
            ]
        }
        if let chassis = SMBIOSChassis(structure) {
            return [
                "Manufacturer": text(chassis.manufacturer), "Type": chassis.chassisType.map { name(SMBIOSNames.chassisType($0)) },
                "Version": text(chassis.version), "Serial Number": text(chassis.serialNumber),
                "Asset Tag": text(chassis.assetTag), "SKU Number": text(chassis.skuNumber),
            ]
        }
        if let processor = SMBIOSProcessor(structure) {
            return [
                "Socket Designation": text(processor.socketDesignation),
                "Type": processor.processorType.map { name(SMBIOSNames.processorType($0)) },
                "Manufacturer": text(processor.manufacturer), "Version": text(processor.version),
                "Max Speed": speed(processor.maxSpeed, "MHz"), "Current Speed": speed(processor.currentSpeed, "MHz"),
                "Status": processor.isSocketPopulated ? "Populated, Enabled" : "Unpopulated",
                "Serial Number": text(processor.serialNumber), "Asset Tag": text(processor.assetTag),
                "Part Number": text(processor.partNumber), "Core Count": processor.coreCount.map(String.init),
                "Core Enabled": processor.coreEnabled.map(String.init),
                "Thread Count": processor.threadCount.map(String.init),
            ]
        }
        if let memory = SMBIOSMemoryDevice(structure) {
            // dmidecode prints nothing after "Type Detail" for an empty slot.
            if memory.size == .notInstalled {
                return [
                    "Form Factor": memory.formFactor.map { name(SMBIOSNames.memoryFormFactor($0)) },
                    "Locator": text(memory.deviceLocator), "Bank Locator": text(memory.bankLocator),
                    "Type": memory.memoryType.map { name(SMBIOSNames.memoryType($0)) },
                    "Speed": nil, "Manufacturer": nil, "Serial Number": nil, "Asset Tag": nil, "Part Number": nil,
                ]
            }
            return [
                "Form Factor": memory.formFactor.map { name(SMBIOSNames.memoryFormFactor($0)) },
                "Locator": text(memory.deviceLocator), "Bank Locator": text(memory.bankLocator),
                "Type": memory.memoryType.map { name(SMBIOSNames.memoryType($0)) },
                "Speed": structure.length >= 0x17 ? speed(memory.speed, "MT/s") : nil,
                "Manufacturer": text(memory.manufacturer), "Serial Number": text(memory.serialNumber),
                "Asset Tag": text(memory.assetTag), "Part Number": text(memory.partNumber),
            ]
        }
        return nil
    }

    /// dmidecode picks the unit; compare the amounts.
    private static func compareSize(_ structure: SMBIOSStructure, _ record: Dmidecode.Record, dump: String) {
        let theirs = record.fields["Size"]
        switch SMBIOSMemoryDevice(structure)?.size {
        case .notInstalled: #expect(theirs == "No Module Installed", "\(dump): handle \(structure.handle) Size")
        case .unknown: #expect(theirs == "Unknown", "\(dump): handle \(structure.handle) Size")
        case .kilobytes(let kilobytes):
            #expect(theirs.flatMap(Dmidecode.kilobytes) == kilobytes, "\(dump): handle \(structure.handle) Size \(kilobytes) kB vs \(theirs ?? "absent")")
        case nil: #expect(theirs == nil, "\(dump): handle \(structure.handle) Size")
        }
    }

    private static func text(_ string: SMBIOSString?) -> String? { string?.description }
    private static func name(_ name: String?) -> String { name ?? "<OUT OF SPEC>" }
    private static func speed(_ value: Int?, _ unit: String) -> String { value.map { "\($0) \(unit)" } ?? "Unknown" }

    private static func uuidText(_ uuid: SMBIOSUUID) -> String {
        switch uuid {
        case .notPresent: "Not Present"
        case .notSettable: "Not Settable"
        case .value(let text): text
        }
    }
}
