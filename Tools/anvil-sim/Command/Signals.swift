import Dispatch
import Foundation
import Synchronization

/// SIGINT/SIGTERM as a flag, so the command stops its machines and writes its report.
enum Signals {
    final class Flag: Sendable {
        private let value = Mutex(false)
        /// The signal sources live as long as the flag.
        fileprivate let sources = Mutex<[any DispatchSourceSignal]>([])
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    static func interruption() -> Flag {
        let flag = Flag()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            flag.sources.withLock { sources in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { flag.set() }
                source.resume()
                sources.append(source)
            }
        }
        return flag
    }
}
