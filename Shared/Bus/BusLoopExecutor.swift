import NIOCore

/// Runs Swift tasks on one NIO event loop.
///
/// Bus code spends its time writing to and reading from channels owned by an event loop; a task
/// that prefers this executor does that work on the loop's own thread instead of bouncing
/// between the loop and the cooperative pool. (NIO 2.101 makes loops `SerialExecutor`s but offers
/// no `TaskExecutor`.)
final class BusLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
