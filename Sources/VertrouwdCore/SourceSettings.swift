/// What the config says about one producer (`[[source]]`), beyond its name.
public struct SourceSettings: Hashable, Sendable {
    /// Whether this source's signals must carry a `subject` (DESIGN §2).
    public enum SubjectPolicy: String, CaseIterable, Hashable, Sendable {
        /// A signal without one counts as one pupil per source and window.
        case optional
        /// A signal without one is rejected (`missing_subject`).
        case required
    }

    /// `subjects = "optional" | "required"`; default optional.
    public var subjects: SubjectPolicy = .optional

    /// `expect_every = "1d"`: a source silent for longer raises a health
    /// message (issue 15 §1); nil when the source may be silent.
    public var expectEvery: Interval?

    public init(subjects: SubjectPolicy = .optional, expectEvery: Interval? = nil) {
        self.subjects = subjects
        self.expectEvery = expectEvery
    }
}

extension Configuration {
    /// The sources whose signals must carry a `subject`.
    public var sourcesRequiringSubject: Set<String> {
        Set(sourceSettings.filter { $0.value.subjects == .required }.keys)
    }

    /// Each watched source's silence limit (`expect_every`).
    public var silenceLimits: [String: Interval] {
        sourceSettings.compactMapValues(\.expectEvery)
    }
}
