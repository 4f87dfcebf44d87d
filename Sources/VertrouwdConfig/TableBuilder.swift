/// Applies TOML's table rules while the parser reads: which headers and
/// dotted keys may open, reopen or extend which tables. It works on mutable
/// class nodes, because a header has to keep a handle on a table deep inside
/// the tree, and freezes them into `ConfigTable` values at the end.

/// One key of a header or dotted key, as written.
struct KeyPart {
    var name: String
    var position: SourcePosition
    var length: Int
}

extension Array where Element == KeyPart {
    /// `a.b."c d"` for messages; quoted parts keep their quotes off, since the
    /// message already wraps the path in double quotes.
    var displayName: String { map(\.name).joined(separator: ".") }
}

final class TableNode {
    enum Slot {
        case value(ConfigValue)
        case table(TableNode)
        case tableArray(TableArrayNode)
    }

    var origin: ConfigTable.Origin
    var position: SourcePosition
    var length: Int
    private(set) var keys: [String] = []
    private(set) var slots: [String: (keyPosition: SourcePosition, slot: Slot)] = [:]

    init(origin: ConfigTable.Origin, position: SourcePosition, length: Int = 1) {
        self.origin = origin
        self.position = position
        self.length = length
    }

    subscript(key: String) -> (keyPosition: SourcePosition, slot: Slot)? { slots[key] }

    func set(_ key: String, at keyPosition: SourcePosition, _ slot: Slot) {
        if slots[key] == nil { keys.append(key) }
        slots[key] = (keyPosition, slot)
    }

    func freeze() -> ConfigTable {
        let entries = keys.map { key -> ConfigTable.Entry in
            let (keyPosition, slot) = slots[key]!
            let value: ConfigValue = switch slot {
            case .value(let v): v
            case .table(let t): ConfigValue(.table(t.freeze()), at: t.position, length: t.length)
            case .tableArray(let a): ConfigValue(.tableArray(a.tables.map { $0.freeze() }), at: a.position, length: a.length)
            }
            return ConfigTable.Entry(key: key, keyPosition: keyPosition, value: value)
        }
        return ConfigTable(entries: entries, origin: origin, position: position)
    }
}

final class TableArrayNode {
    var tables: [TableNode] = []
    let position: SourcePosition
    let length: Int

    init(position: SourcePosition, length: Int) {
        self.position = position
        self.length = length
    }
}

/// Why a header could not be applied; no diagnostic when the cause was
/// already reported.
struct BuildError: Error {
    var diagnostic: Diagnostic?
    init(_ diagnostic: Diagnostic?) { self.diagnostic = diagnostic }
}

struct TableBuilder {
    let root = TableNode(origin: .root, position: SourcePosition(line: 1, column: 1))

    /// `[path]`: opens the table the following key/values go into.
    func openTable(_ path: [KeyPart], header: SourcePosition, length: Int) -> Result<TableNode, BuildError> {
        let parent: TableNode
        switch descendForHeader(path, from: root) {
        case .success(let t): parent = t
        case .failure(let e): return .failure(e)
        }
        let last = path[path.count - 1]
        let name = path.displayName
        guard let existing = parent[last.name] else {
            let table = TableNode(origin: .header, position: header, length: length)
            parent.set(last.name, at: last.position, .table(table))
            return .success(table)
        }
        let firstLine = Message.firstDefined(line: existing.keyPosition.line)
        switch existing.slot {
        case .table(let t) where t.origin == .implicit:
            // `[a]` after `[a.b]`: a was only implied, so this defines it, once.
            t.origin = .header
            t.position = header
            t.length = length
            parent.set(last.name, at: last.position, .table(t))
            return .success(t)
        case .table(let t) where t.origin == .dotted:
            return .failure(BuildError(.error(at: last.position, length: last.length, Message.tableMadeByDottedKeys(name), hint: firstLine)))
        case .table:
            return .failure(BuildError(.error(at: last.position, length: last.length, Message.tableDefinedTwice(name), hint: firstLine)))
        case .tableArray:
            return .failure(BuildError(.error(at: last.position, length: last.length, Message.tableIsTableArray(name), hint: Message.useDoubleBrackets(name))))
        case .value(let v):
            return .failure(BuildError(valueConflict(v, path: name, prefix: name, at: last, firstLine: firstLine)))
        }
    }

    /// `[[path]]`: appends a table to the array and opens it.
    func openTableArrayElement(_ path: [KeyPart], header: SourcePosition, length: Int) -> Result<TableNode, BuildError> {
        let parent: TableNode
        switch descendForHeader(path, from: root) {
        case .success(let t): parent = t
        case .failure(let e): return .failure(e)
        }
        let last = path[path.count - 1]
        let name = path.displayName
        let element = TableNode(origin: .header, position: header, length: length)
        guard let existing = parent[last.name] else {
            let array = TableArrayNode(position: header, length: length)
            array.tables.append(element)
            parent.set(last.name, at: last.position, .tableArray(array))
            return .success(element)
        }
        let firstLine = Message.firstDefined(line: existing.keyPosition.line)
        switch existing.slot {
        case .tableArray(let array):
            array.tables.append(element)
            return .success(element)
        case .table:
            return .failure(BuildError(.error(at: last.position, length: last.length, Message.tableArrayIsTable(name), hint: firstLine)))
        case .value(let v):
            if case .invalid = v.kind { return .failure(BuildError(nil)) }
            if case .table(let t) = v.kind, t.origin == .inline {
                return .failure(BuildError(.error(at: last.position, length: last.length, Message.extendInline(name), hint: firstLine)))
            }
            return .failure(BuildError(.error(at: last.position, length: last.length,
                                   Message.tableArrayIsValue(name, type: v.typeDescription), hint: firstLine)))
        }
    }

    /// Walks the parents named in a header, creating implicit tables and
    /// entering the last element of arrays of tables.
    private func descendForHeader(_ path: [KeyPart], from start: TableNode) -> Result<TableNode, BuildError> {
        var table = start
        var walked: [KeyPart] = []
        for part in path.dropLast() {
            walked.append(part)
            guard let existing = table[part.name] else {
                let child = TableNode(origin: .implicit, position: part.position, length: part.length)
                table.set(part.name, at: part.position, .table(child))
                table = child
                continue
            }
            switch existing.slot {
            case .table(let t):
                table = t
            case .tableArray(let a):
                table = a.tables[a.tables.count - 1]
            case .value(let v):
                let firstLine = Message.firstDefined(line: existing.keyPosition.line)
                return .failure(BuildError(valueConflict(v, path: path.displayName, prefix: walked.displayName, at: part, firstLine: firstLine)))
            }
        }
        return .success(table)
    }

    /// `a.b.c = value` inside `table`. An `.invalid` value (its statement
    /// already reported) never adds a second error.
    func insert(_ path: [KeyPart], value: ConfigValue, into table: TableNode) -> Diagnostic? {
        let quiet: Bool = if case .invalid = value.kind { true } else { false }
        var current = table
        var walked: [KeyPart] = []
        let name = path.displayName
        for part in path.dropLast() {
            walked.append(part)
            guard let existing = current[part.name] else {
                let child = TableNode(origin: .dotted, position: part.position, length: part.length)
                current.set(part.name, at: part.position, .table(child))
                current = child
                continue
            }
            let firstLine = Message.firstDefined(line: existing.keyPosition.line)
            let problem: Diagnostic?
            switch existing.slot {
            case .table(let t) where t.origin == .dotted:
                current = t
                continue
            case .table:
                problem = .error(at: part.position, length: part.length,
                                 Message.dottedIntoHeaderTable(walked.displayName), hint: firstLine)
            case .tableArray:
                problem = .error(at: part.position, length: part.length,
                                 Message.dottedIntoTableArray(walked.displayName), hint: firstLine)
            case .value(let v):
                problem = valueConflict(v, path: name, prefix: walked.displayName, at: part, firstLine: firstLine)
            }
            return quiet ? nil : problem
        }
        let last = path[path.count - 1]
        if let existing = current[last.name] {
            if quiet { return nil }
            if case .value(let v) = existing.slot, case .invalid = v.kind { return nil }
            return .error(at: last.position, length: last.length, Message.duplicateKey(name),
                          hint: Message.firstDefined(line: existing.keyPosition.line))
        }
        current.set(last.name, at: last.position, .value(value))
        return nil
    }

    /// A header or dotted key runs into a value. Nil when that value is
    /// `.invalid`: its own statement was already reported.
    private func valueConflict(_ v: ConfigValue, path: String, prefix: String, at part: KeyPart, firstLine: String) -> Diagnostic? {
        if case .invalid = v.kind { return nil }
        if case .table(let t) = v.kind, t.origin == .inline {
            return .error(at: part.position, length: part.length, Message.extendInline(prefix), hint: firstLine)
        }
        return .error(at: part.position, length: part.length,
                      Message.alreadyA(path, prefix: prefix, type: v.typeDescription), hint: firstLine)
    }
}
