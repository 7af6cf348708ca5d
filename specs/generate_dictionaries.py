#!/usr/bin/env python3
"""Writes the FIX data dictionaries fixguard ships (FIX42.xml, FIX44.xml,
FIXT11.xml, FIX50SP2.xml) from the one table below.

They cover the session messages and the order-entry flow fixguard handles
(D, F, G, H, q, 8, 9, j) with the standard fields of those messages, plus a
list of other application message types so that QuickFIX passes them to
fixguard, which answers them with a BusinessMessageReject (380=3) unless the
session lists them as pass-through. A venue with its own dialect points its
session at the venue's dictionary instead (config key `dictionary`).

Run from anywhere: python3 specs/generate_dictionaries.py
"""
import os

# number: (name, type, enum values or None). Enums are given only where a
# wrong value must be refused at the session layer; order fields stay open so
# that venue-specific values pass through untouched.
FIELDS = {
    1: ("Account", "STRING"), 6: ("AvgPx", "PRICE"), 7: ("BeginSeqNo", "SEQNUM"),
    8: ("BeginString", "STRING"), 9: ("BodyLength", "LENGTH"), 10: ("CheckSum", "STRING"),
    11: ("ClOrdID", "STRING"), 12: ("Commission", "AMT"), 13: ("CommType", "CHAR"),
    14: ("CumQty", "QTY"), 15: ("Currency", "CURRENCY"), 16: ("EndSeqNo", "SEQNUM"),
    17: ("ExecID", "STRING"), 18: ("ExecInst", "MULTIPLEVALUESTRING"), 19: ("ExecRefID", "STRING"),
    20: ("ExecTransType", "CHAR"), 21: ("HandlInst", "CHAR"), 22: ("SecurityIDSource", "STRING"),
    23: ("IOIID", "STRING"), 30: ("LastMkt", "EXCHANGE"), 31: ("LastPx", "PRICE"),
    32: ("LastQty", "QTY"), 34: ("MsgSeqNum", "SEQNUM"), 35: ("MsgType", "STRING"),
    36: ("NewSeqNo", "SEQNUM"), 37: ("OrderID", "STRING"), 38: ("OrderQty", "QTY"),
    39: ("OrdStatus", "CHAR"), 40: ("OrdType", "CHAR"), 41: ("OrigClOrdID", "STRING"),
    43: ("PossDupFlag", "BOOLEAN"), 44: ("Price", "PRICE"), 45: ("RefSeqNum", "SEQNUM"),
    47: ("Rule80A", "CHAR"), 48: ("SecurityID", "STRING"), 49: ("SenderCompID", "STRING"),
    50: ("SenderSubID", "STRING"), 52: ("SendingTime", "UTCTIMESTAMP"), 54: ("Side", "CHAR"),
    55: ("Symbol", "STRING"), 56: ("TargetCompID", "STRING"), 57: ("TargetSubID", "STRING"),
    58: ("Text", "STRING"), 59: ("TimeInForce", "CHAR"), 60: ("TransactTime", "UTCTIMESTAMP"),
    63: ("SettlType", "CHAR"), 64: ("SettlDate", "LOCALMKTDATE"), 65: ("SymbolSfx", "STRING"),
    66: ("ListID", "STRING"), 70: ("AllocID", "STRING"), 75: ("TradeDate", "LOCALMKTDATE"),
    77: ("PositionEffect", "CHAR"), 78: ("NoAllocs", "NUMINGROUP"), 79: ("AllocAccount", "STRING"),
    80: ("AllocQty", "QTY"), 81: ("ProcessCode", "CHAR"), 89: ("Signature", "DATA"),
    90: ("SecureDataLen", "LENGTH"), 91: ("SecureData", "DATA"), 93: ("SignatureLength", "LENGTH"),
    95: ("RawDataLength", "LENGTH"), 96: ("RawData", "DATA"), 97: ("PossResend", "BOOLEAN"),
    98: ("EncryptMethod", "INT"), 99: ("StopPx", "PRICE"), 100: ("ExDestination", "EXCHANGE"),
    102: ("CxlRejReason", "INT"), 103: ("OrdRejReason", "INT"), 106: ("Issuer", "STRING"),
    107: ("SecurityDesc", "STRING"), 108: ("HeartBtInt", "INT"), 109: ("ClientID", "STRING"),
    110: ("MinQty", "QTY"), 111: ("MaxFloor", "QTY"), 112: ("TestReqID", "STRING"),
    114: ("LocateReqd", "BOOLEAN"), 115: ("OnBehalfOfCompID", "STRING"),
    116: ("OnBehalfOfSubID", "STRING"), 117: ("QuoteID", "STRING"),
    120: ("SettlCurrency", "CURRENCY"), 121: ("ForexReq", "BOOLEAN"),
    122: ("OrigSendingTime", "UTCTIMESTAMP"), 123: ("GapFillFlag", "BOOLEAN"),
    126: ("ExpireTime", "UTCTIMESTAMP"), 128: ("DeliverToCompID", "STRING"),
    129: ("DeliverToSubID", "STRING"), 136: ("NoMiscFees", "NUMINGROUP"),
    137: ("MiscFeeAmt", "AMT"), 138: ("MiscFeeCurr", "CURRENCY"), 139: ("MiscFeeType", "CHAR"),
    140: ("PrevClosePx", "PRICE"), 141: ("ResetSeqNumFlag", "BOOLEAN"),
    142: ("SenderLocationID", "STRING"), 143: ("TargetLocationID", "STRING"),
    144: ("OnBehalfOfLocationID", "STRING"), 145: ("DeliverToLocationID", "STRING"),
    150: ("ExecType", "CHAR"), 151: ("LeavesQty", "QTY"), 152: ("CashOrderQty", "QTY"),
    155: ("SettlCurrFxRate", "FLOAT"), 156: ("SettlCurrFxRateCalc", "CHAR"),
    167: ("SecurityType", "STRING"), 168: ("EffectiveTime", "UTCTIMESTAMP"),
    192: ("OrderQty2", "QTY"), 193: ("SettlDate2", "LOCALMKTDATE"),
    198: ("SecondaryOrderID", "STRING"), 200: ("MaturityMonthYear", "MONTHYEAR"),
    201: ("PutOrCall", "INT"), 202: ("StrikePrice", "PRICE"), 203: ("CoveredOrUncovered", "INT"),
    206: ("OptAttribute", "CHAR"), 207: ("SecurityExchange", "EXCHANGE"),
    210: ("MaxShow", "QTY"), 211: ("PegOffsetValue", "FLOAT"), 212: ("XmlDataLen", "LENGTH"),
    213: ("XmlData", "DATA"), 223: ("CouponRate", "PERCENTAGE"),
    231: ("ContractMultiplier", "FLOAT"), 336: ("TradingSessionID", "STRING"),
    347: ("MessageEncoding", "STRING"), 351: ("EncodedSecurityDesc", "DATA"),
    350: ("EncodedSecurityDescLen", "LENGTH"), 354: ("EncodedTextLen", "LENGTH"),
    355: ("EncodedText", "DATA"), 369: ("LastMsgSeqNumProcessed", "SEQNUM"),
    371: ("RefTagID", "INT"), 372: ("RefMsgType", "STRING"), 373: ("SessionRejectReason", "INT"),
    375: ("ContraBroker", "STRING"), 376: ("ComplianceID", "STRING"),
    377: ("SolicitedFlag", "BOOLEAN"), 378: ("ExecRestatementReason", "INT"),
    379: ("BusinessRejectRefID", "STRING"), 380: ("BusinessRejectReason", "INT"),
    381: ("GrossTradeAmt", "AMT"), 382: ("NoContraBrokers", "NUMINGROUP"),
    383: ("MaxMessageSize", "LENGTH"), 384: ("NoMsgTypes", "NUMINGROUP"),
    385: ("MsgDirection", "CHAR"), 386: ("NoTradingSessions", "NUMINGROUP"),
    388: ("DiscretionInst", "CHAR"), 389: ("DiscretionOffsetValue", "FLOAT"),
    423: ("PriceType", "INT"), 424: ("DayOrderQty", "QTY"), 425: ("DayCumQty", "QTY"),
    426: ("DayAvgPx", "PRICE"), 432: ("ExpireDate", "LOCALMKTDATE"),
    434: ("CxlRejResponseTo", "CHAR"), 437: ("ContraTradeQty", "QTY"),
    438: ("ContraTradeTime", "UTCTIMESTAMP"), 447: ("PartyIDSource", "CHAR"),
    448: ("PartyID", "STRING"), 452: ("PartyRole", "INT"), 453: ("NoPartyIDs", "NUMINGROUP"),
    454: ("NoSecurityAltID", "NUMINGROUP"), 455: ("SecurityAltID", "STRING"),
    456: ("SecurityAltIDSource", "STRING"), 460: ("Product", "INT"), 461: ("CFICode", "STRING"),
    464: ("TestMessageIndicator", "BOOLEAN"), 467: ("IndividualAllocID", "STRING"),
    468: ("RoundingDirection", "CHAR"), 469: ("RoundingModulus", "FLOAT"),
    480: ("CancellationRights", "CHAR"), 481: ("MoneyLaunderingStatus", "CHAR"),
    494: ("Designation", "STRING"), 513: ("RegistID", "STRING"), 516: ("OrderPercent", "PERCENTAGE"),
    523: ("PartySubID", "STRING"), 526: ("SecondaryClOrdID", "STRING"),
    527: ("SecondaryExecID", "STRING"), 528: ("OrderCapacity", "CHAR"),
    529: ("OrderRestrictions", "MULTIPLEVALUESTRING"), 530: ("MassCancelRequestType", "CHAR"),
    541: ("MaturityDate", "LOCALMKTDATE"), 544: ("CashMargin", "CHAR"),
    553: ("Username", "STRING"), 554: ("Password", "STRING"), 581: ("AccountType", "INT"),
    582: ("CustOrderCapacity", "INT"), 583: ("ClOrdLinkID", "STRING"),
    586: ("OrigOrdModTime", "UTCTIMESTAMP"), 589: ("DayBookingInst", "CHAR"),
    590: ("BookingUnit", "CHAR"), 591: ("PreallocMethod", "CHAR"), 625: ("TradingSessionSubID", "STRING"),
    627: ("NoHops", "NUMINGROUP"), 628: ("HopCompID", "STRING"), 629: ("HopSendingTime", "UTCTIMESTAMP"),
    630: ("HopRefID", "SEQNUM"), 635: ("ClearingFeeIndicator", "STRING"),
    636: ("WorkingIndicator", "BOOLEAN"), 660: ("AcctIDSource", "INT"),
    661: ("AllocAcctIDSource", "INT"), 662: ("BenchmarkPrice", "PRICE"),
    736: ("AllocSettlCurrency", "CURRENCY"), 762: ("SecuritySubType", "STRING"),
    775: ("BookingType", "INT"), 789: ("NextExpectedMsgSeqNum", "SEQNUM"),
    797: ("CopyMsgIndicator", "BOOLEAN"), 802: ("NoPartySubIDs", "NUMINGROUP"),
    803: ("PartySubIDType", "INT"), 835: ("PegMoveType", "INT"), 836: ("PegOffsetType", "INT"),
    847: ("TargetStrategy", "INT"), 848: ("TargetStrategyParameters", "STRING"),
    849: ("ParticipationRate", "PERCENTAGE"), 851: ("LastLiquidityInd", "INT"),
    854: ("QtyType", "INT"), 891: ("MiscFeeBasis", "INT"), 925: ("NewPassword", "STRING"),
    1128: ("ApplVerID", "STRING"), 1129: ("CstmApplVerID", "STRING"),
    1137: ("DefaultApplVerID", "STRING"), 1057: ("AggressorIndicator", "BOOLEAN"),
    1300: ("MarketSegmentID", "STRING"), 531: ("MassCancelResponse", "CHAR"),
    532: ("MassCancelRejectReason", "INT"), 533: ("TotalAffectedOrders", "INT"),
    534: ("NoAffectedOrders", "NUMINGROUP"), 535: ("AffectedOrderID", "STRING"),
    536: ("AffectedSecondaryOrderID", "STRING"), 1409: ("SessionStatus", "INT"),
}

ENUMS = {
    43: ["Y", "N"], 97: ["Y", "N"], 114: ["Y", "N"], 121: ["Y", "N"], 123: ["Y", "N"],
    141: ["Y", "N"], 377: ["Y", "N"], 464: ["Y", "N"], 636: ["Y", "N"], 797: ["Y", "N"],
    1057: ["Y", "N"], 98: ["0", "1", "2", "3", "4", "5", "6"],
}

# Groups: count tag -> member tags, the first one being the delimiter.
GROUPS = {
    453: [448, 447, 452, 802], 802: [523, 803], 454: [455, 456], 78: [79, 661, 736, 467, 80],
    386: [336, 625], 382: [375, 437, 438], 136: [137, 138, 139, 891],
    627: [628, 629, 630], 384: [372, 385], 534: [41, 535, 536],
}

HEADER = [8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145,
          43, 97, 52, 122, 212, 213, 347, 369, 627]
FIXT_HEADER_EXTRA = [1128, 1129]
TRAILER = [93, 89, 10]

INSTRUMENT = [55, 65, 48, 22, 454, 460, 461, 167, 762, 200, 541, 201, 202, 206, 231, 223,
              106, 207, 107, 350, 351]
ORDER_COMMON = [1, 660, 581, 589, 590, 591, 70, 78, 63, 64, 544, 635, 21, 18, 110, 111, 100,
                386, 81] + INSTRUMENT + [140, 54, 114, 60, 854, 38, 152, 516, 468, 469, 40,
                423, 44, 99, 15, 376, 377, 23, 117, 59, 168, 432, 126, 12, 13, 528, 529, 582,
                121, 120, 775, 58, 354, 355, 193, 192, 77, 203, 210, 211, 835, 836, 388, 389,
                847, 848, 849, 480, 481, 513, 494, 453, 526, 583, 75, 47,
                109, 1300]

def msg(name, msgtype, cat, fields, required):
    return (name, msgtype, cat, fields, set(required))

SESSION_MESSAGES = [
    msg("Heartbeat", "0", "admin", [112], []),
    msg("TestRequest", "1", "admin", [112], [112]),
    msg("ResendRequest", "2", "admin", [7, 16], [7, 16]),
    msg("Reject", "3", "admin", [45, 371, 372, 373, 58, 354, 355], [45]),
    msg("SequenceReset", "4", "admin", [123, 36], [36]),
    msg("Logout", "5", "admin", [1409, 58, 354, 355], []),
    msg("Logon", "A", "admin", [98, 108, 95, 96, 141, 789, 383, 384, 464, 553, 554, 925, 1137],
        [98, 108]),
]

def app_messages(version):
    er_required = [37, 17, 150, 39, 54, 151, 14, 6] + ([20, 55] if version == "4.2" else [])
    er = [37, 198, 526, 527, 11, 41, 583, 17, 19, 20, 150, 39, 636, 103, 378, 1, 660, 581,
          589, 591, 70, 63, 64, 544, 635] + INSTRUMENT + [54, 854, 38, 152, 516, 468, 469, 40,
          423, 44, 99, 15, 376, 377, 59, 168, 432, 126, 18, 528, 529, 582, 32, 31, 30, 336, 625,
          151, 14, 6, 424, 425, 426, 60, 75, 12, 13, 381, 155, 156, 120, 58,
          354, 355, 193, 192, 77, 203, 210, 211, 388, 389, 847, 848, 849, 851, 1057, 453, 382,
          136, 21, 110, 111, 100, 47, 109, 797, 66, 1300]
    return [
        msg("NewOrderSingle", "D", "app", [11] + ORDER_COMMON, [11, 54, 60, 40] +
            ([21, 55] if version == "4.2" else [])),
        msg("OrderCancelRequest", "F", "app", [41, 37, 11, 526, 583, 1, 660, 581] + INSTRUMENT +
            [54, 60, 38, 152, 516, 468, 469, 376, 58, 354, 355, 453, 109, 1300],
            [41, 11, 54, 60] + ([55] if version == "4.2" else [])),
        msg("OrderCancelReplaceRequest", "G", "app", [37, 41, 586] + [11] + ORDER_COMMON,
            [41, 11, 54, 60, 40] + ([21, 55] if version == "4.2" else [])),
        msg("OrderStatusRequest", "H", "app", [37, 11, 526, 583, 1, 660, 581] +
            INSTRUMENT + [54, 453, 109, 1300], [11, 54] + ([55] if version == "4.2" else [])),
        msg("OrderMassCancelRequest", "q", "app", [11, 526, 530, 336, 625, 1, 54, 60, 58, 354,
            355, 453, 1300] + INSTRUMENT, [11, 530, 60]),
        msg("ExecutionReport", "8", "app", er, er_required),
        msg("OrderCancelReject", "9", "app", [37, 198, 526, 11, 41, 583, 39, 636, 66, 1, 660,
            581, 60, 434, 102, 58, 354, 355, 55, 54, 453, 109], [37, 11, 41, 39, 434]),
        msg("OrderMassCancelReport", "r", "app", [11, 526, 37, 198, 530, 531, 532, 533, 534, 336,
            625, 54, 60, 58, 354, 355, 453, 1300] + INSTRUMENT, [37, 530, 531]),
        msg("BusinessMessageReject", "j", "app", [45, 372, 379, 380, 58, 354, 355], [372, 380]),
    ]

# Application message types fixguard does not handle itself: listed so that
# QuickFIX hands them to fixguard, which rejects them with 35=j 380=3 unless
# the session passes them through. Their content is not validated.
OTHER_APP_TYPES = [
    ("IOI", "6"), ("Advertisement", "7"), ("News", "B"), ("Email", "C"),
    ("NewOrderList", "E"), ("Allocation", "J"), ("ListCancelRequest", "K"),
    ("ListExecute", "L"), ("ListStatusRequest", "M"), ("ListStatus", "N"),
    ("AllocationAck", "P"), ("DontKnowTrade", "Q"), ("QuoteRequest", "R"), ("Quote", "S"),
    ("SettlementInstructions", "T"), ("MarketDataRequest", "V"),
    ("MarketDataSnapshotFullRefresh", "W"), ("MarketDataIncrementalRefresh", "X"),
    ("MarketDataRequestReject", "Y"), ("QuoteCancel", "Z"), ("QuoteStatusRequest", "a"),
    ("MassQuoteAcknowledgement", "b"), ("SecurityDefinitionRequest", "c"),
    ("SecurityDefinition", "d"), ("SecurityStatusRequest", "e"), ("SecurityStatus", "f"),
    ("TradingSessionStatusRequest", "g"), ("TradingSessionStatus", "h"), ("MassQuote", "i"),
    ("BidRequest", "k"), ("BidResponse", "l"), ("ListStrikePrice", "m"),
    ("RegistrationInstructions", "o"), ("RegistrationInstructionsResponse", "p"),
("NewOrderCross", "s"), ("CrossOrderCancelReplaceRequest", "t"),
    ("CrossOrderCancelRequest", "u"), ("SecurityTypeRequest", "v"), ("SecurityTypes", "w"),
    ("SecurityListRequest", "x"), ("SecurityList", "y"), ("DerivativeSecurityListRequest", "z"),
    ("NewOrderMultileg", "AB"), ("MultilegOrderCancelReplace", "AC"),
    ("TradeCaptureReportRequest", "AD"), ("TradeCaptureReport", "AE"),
    ("OrderMassStatusRequest", "AF"), ("QuoteRequestReject", "AG"), ("RFQRequest", "AH"),
    ("QuoteStatusReport", "AI"), ("QuoteResponse", "AJ"), ("Confirmation", "AK"),
    ("PositionMaintenanceRequest", "AL"), ("PositionMaintenanceReport", "AM"),
    ("RequestForPositions", "AN"), ("RequestForPositionsAck", "AO"), ("PositionReport", "AP"),
    ("TradeCaptureReportRequestAck", "AQ"), ("TradeCaptureReportAck", "AR"),
    ("AllocationReport", "AS"), ("AllocationReportAck", "AT"), ("ConfirmationAck", "AU"),
    ("SettlementInstructionRequest", "AV"), ("AssignmentReport", "AW"),
    ("CollateralRequest", "AX"), ("CollateralAssignment", "AY"), ("CollateralResponse", "AZ"),
    ("CollateralReport", "BA"), ("CollateralInquiry", "BB"), ("NetworkCounterpartySystemStatusRequest", "BC"),
    ("NetworkCounterpartySystemStatusResponse", "BD"), ("UserRequest", "BE"), ("UserResponse", "BF"),
    ("CollateralInquiryAck", "BG"), ("ConfirmationRequest", "BH"),
]

def field_xml(tag, required, indent, groups_done=None):
    name = FIELDS[tag][0]
    req = "Y" if required else "N"
    pad = " " * indent
    if tag in GROUPS:
        lines = [f'{pad}<group name="{name}" required="{req}">']
        for member in GROUPS[tag]:
            lines.append(field_xml(member, False, indent + 2))
        lines.append(f"{pad}</group>")
        return "\n".join(lines)
    return f'{pad}<field name="{name}" required="{req}"/>'

def used_tags(messages, header, trailer):
    tags = set(header) | set(trailer)
    def add(tag):
        tags.add(tag)
        for member in GROUPS.get(tag, []):
            add(member)
    for _, _, _, fields, _ in messages:
        for tag in fields:
            add(tag)
    for tag in list(tags):
        add(tag)
    tags.add(58)
    return tags

def write(path, attrs, header, trailer, messages, others):
    out = [f"<fix {attrs}>", "  <header>"]
    out += [field_xml(t, t in (8, 9, 35, 49, 56, 34, 52), 4) for t in header]
    out += ["  </header>", "  <trailer>"]
    out += [field_xml(t, t == 10, 4) for t in trailer]
    out += ["  </trailer>", "  <messages>"]
    for name, msgtype, cat, fields, required in messages:
        out.append(f'    <message name="{name}" msgtype="{msgtype}" msgcat="{cat}">')
        seen = set()
        for tag in fields:
            if tag in seen:
                continue
            seen.add(tag)
            out.append(field_xml(tag, tag in required, 6))
        out.append("    </message>")
    for name, msgtype in others:
        out.append(f'    <message name="{name}" msgtype="{msgtype}" msgcat="app">')
        out.append(field_xml(58, False, 6))
        out.append("    </message>")
    out += ["  </messages>", "  <components>", "  </components>", "  <fields>"]
    for tag in sorted(used_tags(messages, header, trailer)):
        name, ftype = FIELDS[tag]
        values = ENUMS.get(tag)
        if values:
            out.append(f'    <field number="{tag}" name="{name}" type="{ftype}">')
            for v in values:
                out.append(f'      <value enum="{v}" description="V{v}"/>')
            out.append("    </field>")
        else:
            out.append(f'    <field number="{tag}" name="{name}" type="{ftype}"/>')
    out += ["  </fields>", "</fix>", ""]
    with open(path, "w") as f:
        f.write("<!-- Written by specs/generate_dictionaries.py; edit that, not this file. -->\n")
        f.write("\n".join(out))

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    # FIX 4.2 knows neither SEQNUM nor NUMINGROUP-era session fields such as 789/1409 strictly;
    # QuickFIX reads the types it knows and treats the rest as strings.
    for version, major, minor in (("4.2", 4, 2), ("4.4", 4, 4)):
        write(os.path.join(here, f"FIX{major}{minor}.xml"), f'major="{major}" minor="{minor}"',
              [t for t in HEADER], TRAILER, SESSION_MESSAGES + app_messages(version),
              OTHER_APP_TYPES)
    write(os.path.join(here, "FIXT11.xml"), 'type="FIXT" major="1" minor="1"',
          HEADER + FIXT_HEADER_EXTRA, TRAILER, SESSION_MESSAGES, [])
    write(os.path.join(here, "FIX50SP2.xml"), 'type="FIX" major="5" minor="0" servicepack="2"',
          HEADER + FIXT_HEADER_EXTRA, TRAILER, app_messages("5.0"), OTHER_APP_TYPES)

if __name__ == "__main__":
    main()
