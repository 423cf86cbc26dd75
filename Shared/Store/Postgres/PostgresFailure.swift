import PostgresNIO

/// postgres-nio errors → ``StoreError``, and which of them are contention worth retrying
/// (docs/plans/issue-18-store-backends.md §6). Messages carry the SQLSTATE and the server's text,
/// never the connection's password (postgres-nio's own descriptions are deliberately generic).
enum PostgresFailure {
    /// serialization_failure, deadlock_detected, lock_not_available (lock_timeout), and a server
    /// that ended the session (admin_shutdown, crash_shutdown, cannot_connect_now): the transaction
    /// did not commit, so running it again on another connection is safe.
    static let retryableStates: Set<String> = ["40001", "40P01", "55P03", "57P01", "57P02", "57P03"]
    static let uniqueViolation = "23505"

    /// A COMMIT that failed: the transaction may or may not have been applied, so it is never retried.
    struct CommitFailed: Error {
        var underlying: any Error
    }

    /// True for errors after which running the whole transaction again is safe and may succeed.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        if let state = error.serverInfo?[.sqlState] {
            // Class 08: connection exceptions.
            return retryableStates.contains(state) || state.hasPrefix("08")
        }
        // A connection the server closed (a restart, an idle timeout) fails the next statement
        // before it is sent; a single autocommit statement here is safe to repeat (a lease renewal,
        // a delete) and a transaction's COMMIT failure is never retried (``CommitFailed``).
        switch error.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown:
            return true
        default:
            return false
        }
    }

    /// Lock contention only (the connection is still good): serialization failure, deadlock, lock timeout.
    static func isContention(_ error: any Error) -> Bool {
        guard let state = sqlState(error) else { return false }
        return ["40001", "40P01", "55P03"].contains(state)
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// The error a caller sees: ``StoreError`` and the caller's own errors unchanged, postgres-nio's
    /// mapped to ``StoreError/database(_:)`` with `context` (what was being done).
    static func storeError(_ error: any Error, context: String) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case let error as CommitFailed:
            return StoreError.database("\(context): COMMIT failed, the outcome is unknown: \(describe(error.underlying))")
        case is PSQLError, is PostgresDecodingError, is PostgresTransactionError:
            return StoreError.database("\(context): \(describe(error))")
        default:
            return error
        }
    }

    /// Server errors as "SQLSTATE 40001: message (detail)"; client-side ones by code and cause.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            if let info = error.serverInfo {
                var text = "SQLSTATE \(info[.sqlState] ?? "?"): \(info[.message] ?? "no message")"
                if let detail = info[.detail] { text += " (\(detail))" }
                return text
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        case let error as PostgresDecodingError:
            return "cannot decode column \(error.columnName) (\(error.postgresType)) as \(error.targetType): \(error.code)"
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError {
                return describe(inner)
            }
            return "transaction failed"
        case let error as CommitFailed:
            return describe(error.underlying)
        case is PostgresBackend.Expired:
            return "no answer before the operation's deadline"
        default:
            return "\(error)"
        }
    }
}
