#if canImport(Glibc)
import Glibc
#endif

/// `finit_module(2)`, which glibc does not wrap: called through `syscall`, looked up with dlsym
/// because Swift cannot call C variadic functions. On x86-64 and arm64 Linux a variadic callee
/// takes integer arguments in the same registers as a plain one, and glibc's `syscall` only
/// moves registers.
enum ModuleLoader {
    enum Result: Equatable {
        case loaded
        case alreadyPresent
        case failed(String)
    }

    private typealias SyscallFunction = @convention(c) (Int, Int32, UnsafePointer<CChar>, Int32) -> Int

    #if arch(x86_64)
    private static let finitModuleNumber = 313
    #elseif arch(arm64)
    private static let finitModuleNumber = 273
    #endif

    static func load(_ path: String) -> Result {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failed("open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard let symbol = dlsym(nil, "syscall") else {
            return .failed("syscall() not found")
        }
        let call = unsafeBitCast(symbol, to: SyscallFunction.self)
        if call(finitModuleNumber, fd, "", 0) == 0 { return .loaded }
        return errno == EEXIST ? .alreadyPresent : .failed(String(cString: strerror(errno)))
    }
}
