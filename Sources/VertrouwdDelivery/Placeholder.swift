// Replaced by the delivery work (issue 5).
enum DeliveryPlaceholder {}
