extension Taxonomy {
    /// The severity a signal of `category` gets when it names none.
    ///
    /// Fixed by the project, not configurable: every `sextortion.*` category
    /// (a threat or a payment demand is already happening) and `image.shared`
    /// (an image is out) are `high`; everything else is `medium`. A signal
    /// may still state its own severity explicitly.
    public static func defaultSeverity(of category: String) -> Severity {
        if category == "image.shared" || category.utf8.starts(with: "sextortion.".utf8) {
            return .high
        }
        return .medium
    }
}
