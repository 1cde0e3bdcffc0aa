import CSQLite

#if canImport(Glibc)
  import Glibc
#endif

/// The only Swift face of the C module `CSQLite`: one connection, its prepared statements and
/// transactions. Every failure becomes an ``SQLiteError`` carrying SQLite's result code and
/// message; nothing here traps on what a file holds.
final class SQLiteConnection {
  let handle: OpaquePointer
  let path: String

  /// Opens (or, with `create`, creates) the database at `path`.
  init(path: String, create: Bool) throws(SQLiteError) {
    var db: OpaquePointer?
    let flags =
      SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
    let code = sqlite3_open_v2(path, &db, flags, nil)
    guard code == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close_v2(db)
      throw SQLiteError(code: code, message: message)
    }
    handle = db
    self.path = path
    sqlite3_extended_result_codes(db, 1)
  }

  deinit { sqlite3_close_v2(handle) }

  /// Runs one or more statements that return no rows.
  func execute(_ sql: String) throws(SQLiteError) {
    var error: UnsafeMutablePointer<CChar>?
    let code = sqlite3_exec(handle, sql, nil, nil, &error)
    if code != SQLITE_OK {
      let message = error.map { String(cString: $0) } ?? lastMessage
      sqlite3_free(error)
      throw SQLiteError(code: code, message: message)
    }
  }

  /// Prepares `sql`.
  func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard code == SQLITE_OK, let statement else {
      throw SQLiteError(code: code, message: lastMessage)
    }
    return SQLiteStatement(statement, connection: self)
  }

  /// The first column of the first row of `sql` as an integer (`nil` when no row).
  func integer(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Int? {
    let statement = try prepare(sql)
    try statement.bind(values)
    return try statement.step() ? statement.int(0) : nil
  }

  /// Rows changed by the last statement.
  var changes: Int { Int(sqlite3_changes(handle)) }

  /// The rowid of the last row inserted on this connection.
  var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }

  /// Waits up to `milliseconds` for another connection's lock before failing with `SQLITE_BUSY`.
  func setBusyTimeout(_ milliseconds: Int) { sqlite3_busy_timeout(handle, Int32(milliseconds)) }

  var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
  case integer(Int)
  case real(Double)
  case text(String)
  case blob([UInt8])
  case null
}

/// A prepared statement; finalised when released.
final class SQLiteStatement {
  private let statement: OpaquePointer
  private let connection: SQLiteConnection

  init(_ statement: OpaquePointer, connection: SQLiteConnection) {
    self.statement = statement
    self.connection = connection
  }

  deinit { sqlite3_finalize(statement) }

  /// Resets the statement and binds `values` to its parameters `?1, ?2, …`.
  func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      let code: Int32
      switch value {
      case .integer(let v): code = sqlite3_bind_int64(statement, index, sqlite3_int64(v))
      case .real(let v): code = sqlite3_bind_double(statement, index, v)
      case .text(let v): code = sqlite3_bind_text(statement, index, v, -1, transient)
      case .blob(let v):
        code = v.withUnsafeBytes {
          sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient)
        }
      case .null: code = sqlite3_bind_null(statement, index)
      }
      if code != SQLITE_OK { throw SQLiteError(code: code, message: connection.lastMessage) }
    }
  }

  /// Steps once: `true` when a row is ready, `false` when done.
  @discardableResult
  func step() throws(SQLiteError) -> Bool {
    let code = sqlite3_step(statement)
    if code == SQLITE_ROW { return true }
    if code == SQLITE_DONE { return false }
    throw SQLiteError(code: code, message: connection.lastMessage)
  }

  /// Binds `values` and steps to the end (for statements that return no rows).
  func run(_ values: [SQLiteValue]) throws(SQLiteError) {
    try bind(values)
    while try step() {}
  }

  func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

  func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

  func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

  func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

  func text(_ column: Int32) -> String {
    guard let pointer = sqlite3_column_text(statement, column) else { return "" }
    let count = Int(sqlite3_column_bytes(statement, column))
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
  }

  func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

  /// The column's bytes.
  func blob(_ column: Int32) -> [UInt8] {
    let count = Int(sqlite3_column_bytes(statement, column))
    guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
  }
}

/// A failure SQLite reported: its extended result code and message.
struct SQLiteError: Error, Equatable {
  var code: Int32
  var message: String

  /// The primary result code (the low byte of the extended one).
  var primary: Int32 { code & 0xFF }
  var isBusy: Bool { primary == SQLITE_BUSY || primary == SQLITE_LOCKED }
  var isFull: Bool { primary == SQLITE_FULL }
  var isIOError: Bool { primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN }
  var isNotADatabase: Bool { primary == SQLITE_NOTADB }
  var isCorrupt: Bool { primary == SQLITE_CORRUPT }
  var isReadOnly: Bool { primary == SQLITE_READONLY }
}
