#!/usr/bin/env python3
"""Writes intellectmoney-vectors.json: worked examples of IntellectMoney's signing recipes.

Every digest is computed here with Python's hashlib, independently of the node (TypeScript), the
sandbox and the tests (JavaScript), which only read the file. The recipes are written again here
from IntellectMoney's pages (see docs/intellectmoney-api.md §2, §3 and §5): the values in the
documented order, joined with `::`, the secret appended as the last segment, an absent value as an
empty segment, UTF-8 bytes, lower-case hex. The published examples 1-8 of docs/intellectmoney-api.md
§3 are checked against their published digests before anything is written.

    python3 test/vectors/make_vectors.py           # rewrites the file
    python3 test/vectors/make_vectors.py --check   # exits 1 when the file is not what this makes

Standard library only.
"""

import hashlib
import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("intellectmoney-vectors.json")
SIGN_KEY = "SIGNSECRET"  # the dummy keys of docs/intellectmoney-api.md §3
SHOP_KEY = "SHOPSECRET"


def literal(text):
    return {"literal": text}


CREATE_INVOICE = [
    "EshopId", "OrderId", "ServiceName", "RecipientAmount", "RecipientCurrency", "UserName",
    "Email", "SuccessUrl", "FailUrl", "BackUrl", "ResultUrl", "ExpireDate", "HoldMode", "Preference",
]
CAPTURE = ["EshopId", "OrderId", literal("ToPaid")]
REFUND = ["EshopId", "OrderId", literal("Refund")]
PAYOUT_BY_ID = ["UserToken", "PayoutOperationId"]

# Endpoint (or "notification") -> part -> segments before the secret. A string names a body field,
# {"literal": …} is written as it is.
RECIPES = {
    # dev/merchant/api/createInvoice; PurchaseHash: the official PHP SDK's _hashPatterns.purchaseHash.
    "merchant/createInvoice": {
        "sign": CREATE_INVOICE,
        "hash": CREATE_INVOICE,
        "purchaseHash": ["EshopId", "OrderId", "ServiceName", "RecipientAmount", "RecipientCurrency"],
    },
    # seeds/004 (dev/merchant/api/purchaseToPaid): Sign, Hash and PurchaseHash share one formula.
    "merchant/purchaseToPaid": {"sign": CAPTURE, "hash": CAPTURE, "purchaseHash": CAPTURE},
    # dev/merchant/api/purchaseToRefund: Sign published; Hash by analogy with purchaseToPaid.
    "merchant/purchaseToRefund": {"sign": REFUND, "hash": REFUND, "purchaseHash": REFUND},
    # Example 7 only; neither the node nor the sandbox serves it.
    "merchant/getBankCardPaymentState": {"sign": ["EshopId", "InvoiceId"]},
    # Not published; the one client that signs it (python-intellectmoney, Magomedov-Magomed fork).
    "personal/user/getUserToken": {"sign": [literal(""), "Login", "Password", literal("")]},
    # dev/personal/api/getInvoicesHistory.
    "personal/payment/getInvoicesHistory": {
        "sign": [
            "UserToken", "Skip", "Take", "EshopId", "InvoiceId", "DateFrom", "DateTo",
            "ChangeDateFrom", "ChangeDateTo", "IncludePaymentTransactions", "IsHoldingSearch",
            "OrganizationId", "OwnerEmail", "WithRefunds",
        ],
    },
    # dev/personal/api/getAccountData: the page prints an empty segment before the key.
    "personal/payment/getAccountData": {
        "sign": ["UserToken", "AccountId", "BalanceOnDate", literal("")],
    },
    # dev/payout/api/createOperation.
    "personal/payout/createOperation": {
        "sign": [
            "UserToken", "PreferenceType", "Pan", "Account", "BankId", "Amount", "Currency",
            "RecipientName", "EshopId",
        ],
    },
    # seeds/000 (dev/payout/api/executeOperation).
    "personal/payout/executeOperation": {"sign": PAYOUT_BY_ID},
    # Not published: read as its sibling executeOperation, which takes the same two fields.
    "personal/payout/getOperationState": {"sign": PAYOUT_BY_ID},
    # The Result URL notification's hash (docs/intellectmoney-api.md §5), the shop's Secret Key.
    "notification": {
        "hash": [
            "eshopId", "orderId", "serviceName", "eshopAccount", "recipientAmount",
            "recipientCurrency", "paymentStatus", "userName", "userEmail", "paymentData",
        ],
    },
}

ALGORITHM = {"sign": "sha256", "hash": "md5", "purchaseHash": "md5"}

# docs/intellectmoney-api.md §0 and §3: the published digests this script must reproduce.
PUBLISHED = {
    "ref-0-empty-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "ref-0-empty-md5": "d41d8cd98f00b204e9800998ecf8427e",
    "ref-1-purchaseToPaid-sign": "a716062543a46b303cb7c61e77bb6f91ffa5de73616a6d4227806ca6a0b23172",
    "ref-2-purchaseToPaid-hash": "02b97afdd4e6b246f11c4eda6116018e",
    "ref-3-purchaseToPaid-sign-invoice-id-only": "687a43cd4661cb6ad143289fc6e2422b56cef3aba82ed4aa326a58fe14307a5e",
    "ref-4-purchaseToRefund-sign": "68944ac1e851007dbaabb246b27d42ba41b187b537c4acde0cf34ea317e55328",
    "ref-5-executeOperation-sign": "c28b886d14ccd0fbf7e5c8c04610fa47a313a74eaf3325b68caf1a2e28bb2a4b",
    "ref-6-createInvoice-sign": "3401d33f17df8355e4e4220a70f796e46a09b8de2b3d7d27ab0876007890ca0f",
    "ref-7-getBankCardPaymentState-sign": "f2ca5e78b89df10a344d9240df2fc672fec98a32b35fdc89ec41060f3d46d16f",
    "ref-8-notification-hash": "e4e6230059afbf67020344f1d97249bd",
}
PUBLISHED_WINDOWS_1251 = {"ref-8-notification-hash": "b7b328777d25892bdcac1dd6e641652a"}

REF = "docs/intellectmoney-api.md §3 example {}"
OWN = "own case"

CAPTURE_42 = {"EshopId": "450000", "OrderId": "order-42"}
BY_INVOICE = {"EshopId": "450000", "InvoiceId": "3000000001"}
PAYOUT_5 = {"UserToken": "b1f0c3de", "PayoutOperationId": "5d3c1b9e-8f2a-4e0b-9a51-0c2f6e7d1a23"}
INVOICE_6 = {
    "EshopId": "450000",
    "OrderId": "order-42",
    "ServiceName": "Test",
    "RecipientAmount": "10.00",
    "RecipientCurrency": "TST",
    "Email": "buyer@example.com",
    "ResultUrl": "https://example.com/im/result",
}
INVOICE_ALL = {
    "EshopId": "450000",
    "OrderId": "order-1004",
    "ServiceName": "Демо-заказ с холдированием",
    "RecipientAmount": "300.00",
    "RecipientCurrency": "RUB",
    "UserName": "Иван Петров",
    "Email": "buyer@example.com",
    "SuccessUrl": "https://shop.example.com/ok",
    "FailUrl": "https://shop.example.com/fail",
    "BackUrl": "https://shop.example.com/back",
    "ResultUrl": "https://shop.example.com/im/result",
    "ExpireDate": "2030-01-31 23:59:59",
    "HoldMode": "1",
    "Preference": "BankCard",
    # Sent but not signed: HoldTime is in no recipe.
    "HoldTime": "72",
}
INVOICE_HOLD_OFF = {
    "EshopId": "450000",
    "OrderId": "order-43",
    "ServiceName": "Test",
    "RecipientAmount": "10.00",
    "RecipientCurrency": "RUB",
    "Email": "buyer@example.com",
    "HoldMode": "0",
}
INVOICE_AMOUNT = {
    "EshopId": "450000",
    "OrderId": "order-7",
    "ServiceName": "Test",
    "RecipientAmount": "1234.50",
    "RecipientCurrency": "RUB",
}
PAYOUT_CARD = {
    "UserToken": "b1f0c3de",
    "PreferenceType": "OutBankCard",
    "Pan": "4111111111111111",
    "Amount": "500.00",
    "Currency": "RUB",
    "RecipientName": "Иван Петров",
    "EshopId": "450000",
}
PAYOUT_SBP = {
    "UserToken": "b1f0c3de",
    "PreferenceType": "OutSbp",
    "Account": "79001234567",
    "BankId": "100000000111",
    "Amount": "2500.00",
    "Currency": "RUB",
    "RecipientName": "Иванов Иван",
    "EshopId": "450000",
}
HISTORY_ONE = {"UserToken": "b1f0c3de", "Skip": "0", "Take": "10", "InvoiceId": "3000001001"}
HISTORY_ALL = {
    "UserToken": "b1f0c3de",
    "Skip": "0",
    "Take": "100",
    "EshopId": "450000",
    "InvoiceId": "3000001001",
    "DateFrom": "2025-07-01 00:00:00",
    "DateTo": "2025-07-31 23:59:59",
    "ChangeDateFrom": "2025-07-15 00:00:00",
    "ChangeDateTo": "2025-07-16 00:00:00",
    "IncludePaymentTransactions": "1",
    "IsHoldingSearch": "1",
    "OrganizationId": "77",
    "OwnerEmail": "owner@example.com",
    "WithRefunds": "0",
}
# A page of Purchase → Get Many: the second page, a change-date range, the payments asked for.
HISTORY_PAGE = {
    "UserToken": "b1f0c3de",
    "Skip": "100",
    "Take": "100",
    "EshopId": "450000",
    "ChangeDateFrom": "2026-11-15 09:00:00",
    "ChangeDateTo": "2026-11-20 09:00:00",
    "IncludePaymentTransactions": "True",
}
ACCOUNT_ON_DATE = {"UserToken": "b1f0c3de", "AccountId": "1234567", "BalanceOnDate": "2026-11-30 23:59:59"}
ACCOUNT_NOW = {"UserToken": "b1f0c3de", "AccountId": "1234567"}
# The sample request of seeds/000 (the executeOperation page), signed with a Cyrillic key.
PAYOUT_SEED = {
    "UserToken": "YdUlqkFcVo62XmY6B9VLJXCoAeA/0fJPxD4/kUUGmwHf5kgBa12MrKUyJd8uO0za",
    "PayoutOperationId": "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
}
NOTIFICATION_8 = {
    "eshopId": "450000",
    "orderId": "order-42",
    "serviceName": "Test",
    "eshopAccount": "1234567",
    "recipientAmount": "10.00",
    "recipientCurrency": "TST",
    "paymentStatus": "5",
    "userName": "Иван",
    "userEmail": "buyer@example.com",
    "paymentData": "2025-07-15 18:23:32",
}
# A "held" notification as IntellectMoney sends it: unsigned fields besides, an empty userName.
NOTIFICATION_HELD = {
    "eshopId": "450000",
    "paymentId": "3000001004",
    "orderId": "order-1004",
    "eshopAccount": "1234567",
    "serviceName": "Демо-заказ с холдированием",
    "recipientAmount": "300.00",
    "recipientOriginalAmount": "300.00",
    "refundAmount": "0.00",
    "recipientCurrency": "RUB",
    "paymentStatus": "6",
    "userName": "",
    "userEmail": "buyer@example.com",
    "paymentData": "2025-07-16 09:05:00",
    "payMethod": "BankCard",
    "shortPan": "411111******1111",
}

# (id, source, case, endpoint, part, fields, secret)
CASES = [
    ("ref-1-purchaseToPaid-sign", REF.format(1), "purchaseToPaid Sign by Order ID",
     "merchant/purchaseToPaid", "sign", CAPTURE_42, SIGN_KEY),
    ("ref-2-purchaseToPaid-hash", REF.format(2), "purchaseToPaid body Hash",
     "merchant/purchaseToPaid", "hash", CAPTURE_42, SHOP_KEY),
    ("ref-3-purchaseToPaid-sign-invoice-id-only", REF.format(3),
     "purchaseToPaid Sign when only InvoiceId is sent: an empty OrderId segment",
     "merchant/purchaseToPaid", "sign", BY_INVOICE, SIGN_KEY),
    ("ref-4-purchaseToRefund-sign", REF.format(4), "purchaseToRefund Sign: the literal Refund",
     "merchant/purchaseToRefund", "sign", CAPTURE_42, SIGN_KEY),
    ("ref-5-executeOperation-sign", REF.format(5), "executeOperation Sign, UserToken b1f0c3de",
     "personal/payout/executeOperation", "sign", PAYOUT_5, SIGN_KEY),
    ("ref-6-createInvoice-sign", REF.format(6),
     "createInvoice Sign: seven fields set, fifteen segments with the key",
     "merchant/createInvoice", "sign", INVOICE_6, SIGN_KEY),
    ("ref-7-getBankCardPaymentState-sign", REF.format(7), "getBankCardPaymentState Sign",
     "merchant/getBankCardPaymentState", "sign", BY_INVOICE, SIGN_KEY),
    ("ref-8-notification-hash", REF.format(8),
     "notification hash, userName Иван in UTF-8 (windows-1251 would give another digest)",
     "notification", "hash", NOTIFICATION_8, SHOP_KEY),
    ("own-purchaseToPaid-purchaseHash", OWN,
     "purchaseToPaid PurchaseHash: the Hash's formula and value (seeds/004)",
     "merchant/purchaseToPaid", "purchaseHash", CAPTURE_42, SHOP_KEY),
    ("own-purchaseToPaid-sign-cyrillic", OWN, "purchaseToPaid Sign, Cyrillic Order ID (seeds/004)",
     "merchant/purchaseToPaid", "sign", {"EshopId": "450000", "OrderId": "Покупка №50"}, SIGN_KEY),
    ("own-purchaseToPaid-hash-cyrillic", OWN, "purchaseToPaid Hash, Cyrillic Order ID",
     "merchant/purchaseToPaid", "hash", {"EshopId": "450000", "OrderId": "Покупка №50"}, SHOP_KEY),
    ("own-purchaseToPaid-hash-invoice-id-only", OWN,
     "purchaseToPaid Hash by Invoice ID: the empty OrderId segment too",
     "merchant/purchaseToPaid", "hash", BY_INVOICE, SHOP_KEY),
    ("own-purchaseToRefund-hash", OWN, "purchaseToRefund Hash: purchaseToPaid's formula with Refund",
     "merchant/purchaseToRefund", "hash", CAPTURE_42, SHOP_KEY),
    ("own-purchaseToRefund-purchaseHash", OWN, "purchaseToRefund PurchaseHash: the Hash's value",
     "merchant/purchaseToRefund", "purchaseHash", CAPTURE_42, SHOP_KEY),
    ("own-purchaseToRefund-sign-invoice-id-only", OWN,
     "purchaseToRefund Sign by Invoice ID: an empty OrderId segment",
     "merchant/purchaseToRefund", "sign", BY_INVOICE, SIGN_KEY),
    ("own-purchaseToRefund-hash-invoice-id-only", OWN, "purchaseToRefund Hash by Invoice ID",
     "merchant/purchaseToRefund", "hash", BY_INVOICE, SHOP_KEY),
    ("own-createInvoice-hash-ref6", OWN, "createInvoice Hash over example 6's fields",
     "merchant/createInvoice", "hash", INVOICE_6, SHOP_KEY),
    ("own-createInvoice-purchaseHash-ref6", OWN, "createInvoice PurchaseHash: the first five fields",
     "merchant/createInvoice", "purchaseHash", INVOICE_6, SHOP_KEY),
    ("own-createInvoice-sign-all-fields", OWN,
     "createInvoice Sign with all 14 signed fields set (Cyrillic ServiceName and UserName); HoldTime sent, not signed",
     "merchant/createInvoice", "sign", INVOICE_ALL, SIGN_KEY),
    ("own-createInvoice-hash-all-fields", OWN, "createInvoice Hash with all 14 signed fields set",
     "merchant/createInvoice", "hash", INVOICE_ALL, SHOP_KEY),
    ("own-createInvoice-purchaseHash-all-fields", OWN,
     "createInvoice PurchaseHash with every field set: still the first five",
     "merchant/createInvoice", "purchaseHash", INVOICE_ALL, SHOP_KEY),
    ("own-createInvoice-sign-hold-mode-0", OWN,
     "createInvoice Sign with HoldMode 0 sent: the segment is 0, not empty",
     "merchant/createInvoice", "sign", INVOICE_HOLD_OFF, SIGN_KEY),
    ("own-createInvoice-hash-hold-mode-0", OWN, "createInvoice Hash with HoldMode 0",
     "merchant/createInvoice", "hash", INVOICE_HOLD_OFF, SHOP_KEY),
    ("own-createInvoice-sign-amount", OWN,
     "createInvoice Sign: a two-decimal amount, nine empty trailing segments",
     "merchant/createInvoice", "sign", INVOICE_AMOUNT, SIGN_KEY),
    ("own-getUserToken-sign", OWN, "getUserToken Sign ::Login::Password::::key (the sandbox's shop)",
     "personal/user/getUserToken", "sign",
     {"Login": "operator@example.com", "Password": "sandbox-password-9c1e"}, SIGN_KEY),
    ("own-getUserToken-sign-cyrillic-password", OWN, "getUserToken Sign, Cyrillic password",
     "personal/user/getUserToken", "sign",
     {"Login": "operator@example.com", "Password": "пароль-1"}, SIGN_KEY),
    ("own-getInvoicesHistory-sign", OWN,
     "getInvoicesHistory Sign: UserToken, Skip, Take, InvoiceId; the other ten segments empty",
     "personal/payment/getInvoicesHistory", "sign", HISTORY_ONE, SIGN_KEY),
    ("own-getInvoicesHistory-sign-all-fields", OWN, "getInvoicesHistory Sign with all 14 fields set",
     "personal/payment/getInvoicesHistory", "sign", HISTORY_ALL, SIGN_KEY),
    ("own-getInvoicesHistory-sign-page", OWN,
     "getInvoicesHistory Sign of a Get Many page: Skip 100, a change-date range, IncludePaymentTransactions True",
     "personal/payment/getInvoicesHistory", "sign", HISTORY_PAGE, SIGN_KEY),
    ("own-getAccountData-sign", OWN,
     "getAccountData Sign on a date: the empty segment before the key (UserToken::AccountId::BalanceOnDate::::key)",
     "personal/payment/getAccountData", "sign", ACCOUNT_ON_DATE, SIGN_KEY),
    ("own-getAccountData-sign-now", OWN,
     "getAccountData Sign without BalanceOnDate: two empty segments before the key",
     "personal/payment/getAccountData", "sign", ACCOUNT_NOW, SIGN_KEY),
    ("own-createOperation-sign-card", OWN,
     "createOperation Sign, card payout: Account and BankId empty, Cyrillic name",
     "personal/payout/createOperation", "sign", PAYOUT_CARD, SIGN_KEY),
    ("own-createOperation-sign-sbp", OWN,
     "createOperation Sign, SBP payout: Pan empty, Cyrillic name",
     "personal/payout/createOperation", "sign", PAYOUT_SBP, SIGN_KEY),
    ("own-executeOperation-sign-cyrillic-key", OWN,
     "executeOperation Sign: the seeds/000 sample token, a Cyrillic key",
     "personal/payout/executeOperation", "sign", PAYOUT_SEED, "ключ"),
    ("own-getOperationState-sign", OWN,
     "getOperationState Sign: executeOperation's recipe (example 5's fields)",
     "personal/payout/getOperationState", "sign", PAYOUT_5, SIGN_KEY),
    ("own-notification-hash-held", OWN,
     "notification hash of a held payment (status 6): unsigned fields ignored, empty userName kept",
     "notification", "hash", NOTIFICATION_HELD, SHOP_KEY),
]

# Vectors of the bare rule, no endpoint: (id, source, case, algorithm, segments, secret or None).
BARE = [
    ("ref-0-empty-sha256", "docs/intellectmoney-api.md §0 (the doc placeholder e3b0c442…)",
     "SHA-256 of the empty string", "sha256", None, None),
    ("ref-0-empty-md5", "docs/intellectmoney-api.md §0 (the doc placeholder d41d8cd9…)",
     "MD5 of the empty string", "md5", None, None),
    ("own-join-empty-segments", OWN, "four empty segments, then the key", "sha256",
     ["", "", "", ""], SIGN_KEY),
]


def digest(algorithm, data):
    return hashlib.new(algorithm, data).hexdigest()


def segments_of(recipe, fields):
    return [part["literal"] if isinstance(part, dict) else fields.get(part, "") for part in recipe]


def joined(segments, secret):
    return "::".join([*segments, secret])


def vectors():
    out = []
    for vid, source, case, endpoint, part, fields, secret in CASES:
        algorithm = "md5" if endpoint == "notification" else ALGORITHM[part]
        segments = segments_of(RECIPES[endpoint][part], fields)
        text = joined(segments, secret)
        vector = {
            "id": vid,
            "source": source,
            "case": case,
            "endpoint": endpoint,
            "part": part,
            "algorithm": algorithm,
            "fields": fields,
            "segments": segments,
            "secret": secret,
            "string": text,
            "digest": digest(algorithm, text.encode("utf-8")),
        }
        if endpoint == "notification":
            vector["digestWindows1251"] = digest(algorithm, text.encode("cp1251"))
        out.append(vector)
    for vid, source, case, algorithm, segments, secret in BARE:
        text = "" if segments is None else joined(segments, secret)
        out.append({
            "id": vid,
            "source": source,
            "case": case,
            "endpoint": None,
            "part": None,
            "algorithm": algorithm,
            "fields": {},
            "segments": segments or [],
            "secret": secret or "",
            "string": text,
            "digest": digest(algorithm, text.encode("utf-8")),
        })
    by_id = {v["id"]: v for v in out}
    assert len(by_id) == len(out), "vector ids must be unique"
    for vid, expected in PUBLISHED.items():
        assert by_id[vid]["digest"] == expected, f"{vid}: {by_id[vid]['digest']} != published {expected}"
    for vid, expected in PUBLISHED_WINDOWS_1251.items():
        assert by_id[vid]["digestWindows1251"] == expected, f"{vid}: windows-1251 digest"
    return out


# ---- JSON written the way prettier formats it (tabs; an array on one line when it fits in 100 columns)

TAB_WIDTH = 2
PRINT_WIDTH = 100


def scalar(value):
    return json.dumps(value, ensure_ascii=False)


def emit(value, depth, prefix_width, suffix):
    """`value` at `depth`, after `prefix_width` columns on its line and followed by `suffix`."""
    pad = "\t" * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = list(value.items())
        lines = []
        for i, (key, item) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            head = f"{scalar(key)}: "
            width = (depth + 1) * TAB_WIDTH + len(head)
            lines.append(f"{pad}{head}{emit(item, depth + 1, width, comma)}{comma}")
        return "{\n" + "\n".join(lines) + "\n" + "\t" * depth + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(not isinstance(item, (dict, list)) for item in value):
            flat = "[" + ", ".join(scalar(item) for item in value) + "]"
            if prefix_width + len(flat) + len(suffix) <= PRINT_WIDTH:
                return flat
        lines = []
        for i, item in enumerate(value):
            comma = "," if i < len(value) - 1 else ""
            lines.append(f"{pad}{emit(item, depth + 1, (depth + 1) * TAB_WIDTH, comma)}{comma}")
        return "[\n" + "\n".join(lines) + "\n" + "\t" * depth + "]"
    return scalar(value)


def document():
    return {
        "about": (
            "Worked examples of IntellectMoney's signing recipes: for each, the body fields, the "
            "segments in the recipe's order, the exact joined string and its digest (UTF-8, lower-case "
            "hex). Written by test/vectors/make_vectors.py with Python's hashlib, independently of the "
            "node, the sandbox and the tests; do not edit by hand. Keys are the dummies of "
            "docs/intellectmoney-api.md §3."
        ),
        "recipes": RECIPES,
        "vectors": vectors(),
    }


def main():
    text = emit(document(), 0, 0, "") + "\n"
    if "--check" in sys.argv[1:]:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.name} is not what make_vectors.py writes: run it", file=sys.stderr)
            sys.exit(1)
        print(f"{OUT.name}: up to date ({len(document()['vectors'])} vectors)")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.name} ({len(document()['vectors'])} vectors)")


if __name__ == "__main__":
    main()
