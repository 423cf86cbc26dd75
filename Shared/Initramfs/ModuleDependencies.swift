/// One loadable module: where its file is (relative to `lib/modules/<version>/`) and the modules
/// it needs loaded first.
public struct KernelModule: Sendable, Equatable {
    /// Normalized name (`_`, never `-`).
    public let name: String
    public let path: String
    /// Normalized names of the modules it depends on.
    public let dependencies: [String]

    public init(path: String, dependencies: [String]) throws {
        guard let name = ModuleName.fromPath(path) else { throw ModuleDependencyError.notAModulePath(path) }
        self.init(name: name, path: path, dependencies: dependencies)
    }

    public init(name: String, path: String, dependencies: [String]) {
        self.name = ModuleName.normalized(name)
        self.path = path
        self.dependencies = dependencies.map(ModuleName.normalized)
    }
}

/// What to load: modules the build fails without, and modules merely wanted (e.g. a NIC driver a
/// given kernel may not have).
public struct ModuleRequest: Sendable, Equatable {
    public var required: [String]
    public var optional: [String]

    public init(required: [String], optional: [String] = []) {
        self.required = required
        self.optional = optional
    }
}

/// The answer for a request: module files in load order, and what needed no file or was missing.
public struct ModuleLoadPlan: Sendable, Equatable {
    /// Module paths, dependencies first, each once.
    public let modules: [KernelModule]
    /// Requested (or needed) modules built into the kernel: nothing to load.
    public let builtin: [String]
    /// Optional modules this kernel has neither as a file nor built in (their dependencies are not loaded either).
    public let missingOptional: [String]

    public var paths: [String] { modules.map(\.path) }
}

/// Why a load order cannot be computed.
public enum ModuleDependencyError: Error, Equatable, CustomStringConvertible {
    case missingModule(String)
    case missingDependency(String, neededBy: String)
    case cycle([String])
    case malformedLine(number: Int, text: String)
    case notAModulePath(String)

    public var description: String {
        switch self {
        case .missingModule(let name): "kernel module \(name) is neither in modules.dep nor built into the kernel"
        case .missingDependency(let name, let user): "kernel module \(name), needed by \(user), is neither in modules.dep nor built into the kernel"
        case .cycle(let names): "kernel module dependency cycle: \(names.joined(separator: " -> "))"
        case .malformedLine(let number, let text): "modules.dep line \(number) is not \"path: dependencies\": \(text.prefix(120))"
        case .notAModulePath(let path): "\(path) is not a kernel module file (.ko, .ko.xz, .ko.zst, .ko.gz)"
        }
    }
}

/// A kernel's module graph (from `modules.dep`, or built from each module's `.modinfo`) and its
/// built-in modules; computes the order to load a set of modules in.
public struct ModuleDependencies: Sendable {
    private let modules: [String: KernelModule]
    private let builtin: Set<String>

    /// A graph from modules and the names of built-in modules (either spelling, with or without path).
    public init(modules: [KernelModule], builtin: [String] = []) {
        var byName: [String: KernelModule] = [:]
        for module in modules where byName[module.name] == nil { byName[module.name] = module }
        self.modules = byName
        self.builtin = Set(builtin.map { ModuleName.fromPath($0) ?? ModuleName.normalized($0) })
    }

    /// Parses `modules.dep` (`kernel/a.ko: kernel/b.ko kernel/c.ko.xz`) and `modules.builtin`
    /// (one module path per line).
    public static func parse(modulesDep: String, modulesBuiltin: String = "") throws -> ModuleDependencies {
        var modules: [KernelModule] = []
        for (index, rawLine) in modulesDep.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmed(of: " \t\r")
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let colon = line.firstIndex(of: ":") else { throw ModuleDependencyError.malformedLine(number: index + 1, text: line) }
            let path = String(line[..<colon]).trimmed(of: " \t")
            let dependencyPaths = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let dependencies = try dependencyPaths.map { dependency in
                guard let name = ModuleName.fromPath(dependency) else { throw ModuleDependencyError.malformedLine(number: index + 1, text: line) }
                return name
            }
            modules.append(try KernelModule(path: path, dependencies: dependencies))
        }
        let builtin = modulesBuiltin.split(whereSeparator: \.isNewline)
            .map { $0.trimmed(of: " \t\r") }.filter { !$0.isEmpty }
        return ModuleDependencies(modules: modules, builtin: builtin)
    }

    /// The module with this name (`-` or `_`), nil when there is no file for it.
    public func module(named name: String) -> KernelModule? { modules[ModuleName.normalized(name)] }

    /// Whether the module is built into the kernel.
    public func isBuiltin(_ name: String) -> Bool { builtin.contains(ModuleName.normalized(name)) }

    /// Modules in load order for `request`: every module after its dependencies, each once;
    /// requested modules in request order, dependencies by name, so the order is deterministic.
    public func loadOrder(for request: ModuleRequest) throws -> ModuleLoadPlan {
        var walk = LoadOrderWalk(graph: self)
        var missingOptional: [String] = []
        for name in request.required {
            try walk.visit(ModuleName.normalized(name), neededBy: nil)
        }
        for name in request.optional {
            let normalized = ModuleName.normalized(name)
            guard module(named: normalized) != nil || isBuiltin(normalized) else {
                if !missingOptional.contains(normalized) { missingOptional.append(normalized) }
                continue
            }
            try walk.visit(normalized, neededBy: nil)
        }
        return ModuleLoadPlan(modules: walk.order, builtin: walk.builtinSeen, missingOptional: missingOptional)
    }

    /// A depth-first walk emitting each module after its dependencies (post-order).
    private struct LoadOrderWalk {
        let graph: ModuleDependencies
        var order: [KernelModule] = []
        var builtinSeen: [String] = []
        var done: Set<String> = []
        var stack: [String] = []

        mutating func visit(_ name: String, neededBy user: String?) throws {
            if done.contains(name) { return }
            if let start = stack.firstIndex(of: name) { throw ModuleDependencyError.cycle(Array(stack[start...]) + [name]) }
            guard let module = graph.modules[name] else {
                guard graph.builtin.contains(name) else {
                    throw user.map { ModuleDependencyError.missingDependency(name, neededBy: $0) } ?? .missingModule(name)
                }
                builtinSeen.append(name)
                done.insert(name)
                return
            }
            stack.append(name)
            for dependency in Set(module.dependencies).sorted() {
                try visit(dependency, neededBy: name)
            }
            stack.removeLast()
            done.insert(name)
            order.append(module)
        }
    }
}

extension StringProtocol {
    func trimmed(of characters: String) -> String {
        let set = Set(characters)
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
