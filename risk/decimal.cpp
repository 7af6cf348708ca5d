#include "risk/decimal.h"

namespace fixguard::risk {

Quantity half_in_lots(Quantity q, Quantity lot) {
  if (lot.units() <= 0 || q.units() <= 0) return Quantity();
  const int64_t lots = q.units() / lot.units();
  return Quantity::from_units((lots / 2) * lot.units());
}

}  // namespace fixguard::risk
