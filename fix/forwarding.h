// Building the message for the other leg from the raw text received.
//
// The body is carried byte for byte: every field, repeating group and
// user-defined tag in the order sent. Only the header and trailer fields
// that belong to a leg (BeginString, BodyLength, MsgType, CompIDs and their
// sub/location IDs, MsgSeqNum, SendingTime, PossDupFlag, OrigSendingTime,
// hops, ApplVerID, CheckSum, signature) are written anew by the leg's own
// QuickFIX session; other header fields (OnBehalfOf*, DeliverTo*, PossResend,
// MessageEncoding, XmlData) pass through.
#pragma once

#include "fix/quickfix.h"

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace fixguard::fix {

struct RawParts {
  std::string_view msg_type;
  std::string_view header;  // from BeginString to the first body field
  std::string_view body;    // from the first body field to the trailer
};

// Splits a whole message; nullopt if it is not well-formed FIX.
std::optional<RawParts> split(std::string_view message);

// What the journal records of a message besides its text: MsgType (the
// message's first 35), and ClOrdID (11), Account (1) and Symbol (55) as the
// first of each in the body (in the whole message where it is not
// well-formed FIX); empty where absent. One pass, where split() followed by
// find_field() for each would read the message five times.
struct EntryKeys {
  std::string_view msg_type;
  std::string_view cl_ord_id;
  std::string_view account;
  std::string_view symbol;
};
EntryKeys entry_keys(std::string_view message);

// Tells whether `tag` in a header belongs to the leg (rewritten) rather than
// to the message (forwarded).
bool is_leg_owned_header_tag(int tag);

// Maps a ClOrdID (11) or OrigClOrdID (41) value between legs.
using IdMapper = std::function<std::string(int tag, std::string_view value)>;

// Returns `body` with the first occurrence of each of `tags` (ClOrdID 11,
// OrigClOrdID 41, BusinessRejectRefID 379...) replaced by what `map` returns
// for it; every other byte unchanged.
std::string map_order_ids(std::string_view body, std::initializer_list<int> tags, const IdMapper& map);

// A venue message's body as its client sees it: `prefix` taken off ClOrdID
// (11), OrigClOrdID (41) and BusinessRejectRefID (379) where it begins them.
std::string without_prefix(std::string_view venue_body, std::string_view prefix);

// Puts `raw_fields` (whole "tag=value|" fields) into `map` as one opaque
// field, so that QuickFIX writes exactly these bytes back when serialising.
// QuickFIX keeps body fields sorted by tag; this is how their order survives.
void set_opaque(FIX::FieldMap& map, std::string_view raw_fields);

// The message to send on the other leg: the pass-through header fields and
// the (mapped) body of `parts`. The leg's Session fills in the rest.
FIX::Message make_forward(const RawParts& parts, std::string_view body);

// Replaces the body of `message` with the body of `raw` as stored, so that a
// resent message carries its body bytes exactly as first sent.
bool restore_body(FIX::Message& message, std::string_view raw);

}  // namespace fixguard::fix
