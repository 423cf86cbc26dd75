import Dispatch
import Foundation
import Synchronization

/// SIGINT/SIGTERM as a flag, so the command stops its machines and writes its report.
enum Signals {
    final class Flag: Sendable {
        private let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    static func interruption() -> Flag {
        let flag = Flag()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.set() }
            source.resume()
            Sources.keep(source)
        }
        return flag
    }

    /// Signal sources live as long as the process.
    enum Sources {
        private static let all = Mutex<[any DispatchSourceSignal]>([])
        static func keep(_ source: any DispatchSourceSignal) { all.withLock { $0.append(source) } }
    }
}
