#!/usr/bin/env python3
"""Independent RMCP+ / RAKP test vectors for AnvilIPMI.

Written from the IPMI v2.0 specification (section 13.20-13.32: RAKP messages,
key derivation, AES-CBC-128 confidentiality, integrity trailer) using only
hashlib/hmac and `cryptography`. It shares no code with the Swift module; the
Swift tests load its output and must reproduce every value.

Usage (from the repository root):
    python3 Tests/AnvilIPMITests/Vectors/make-vectors.py > Tests/AnvilIPMITests/Vectors/rmcpplus.json
"""

import hashlib
import hmac
import json
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# Cipher suites (spec table 22-20): authentication / integrity / confidentiality.
SUITES = {
    3: {"hash": hashlib.sha1, "auth": 0x01, "integrity": 0x01, "conf": 0x01, "auth_code_len": 12},
    17: {"hash": hashlib.sha256, "auth": 0x03, "integrity": 0x04, "conf": 0x01, "auth_code_len": 16},
}

RMCP_HEADER = bytes([0x06, 0x00, 0xFF, 0x07])  # version 6, reserved, no-ACK sequence, class IPMI
AUTH_TYPE_RMCP_PLUS = 0x06
PAYLOAD_IPMI = 0x00


def u32le(value):
    return struct.pack("<I", value)


def hmac_digest(suite, key, data):
    return hmac.new(key, data, SUITES[suite]["hash"]).digest()


def kuid(password):
    # The spec keys RAKP HMACs with the user password "KUID". BMCs store it as a
    # 20-byte, zero-padded field; HMAC pads short keys with zeros to the block
    # size (64 bytes) anyway, so the raw and the padded password are the same key.
    return password


def rakp2_auth_code(c):
    data = (u32le(c["sidm"]) + u32le(c["sidc"]) + c["rm"] + c["rc"] + c["guid"]
            + bytes([c["role"], len(c["user"])]) + c["user"])
    return hmac_digest(c["suite"], kuid(c["password"]), data)


def rakp3_auth_code(c):
    data = c["rc"] + u32le(c["sidm"]) + bytes([c["role"], len(c["user"])]) + c["user"]
    return hmac_digest(c["suite"], kuid(c["password"]), data)


def sik(c):
    key = c["kg"] if c["kg"] else kuid(c["password"])
    data = c["rm"] + c["rc"] + bytes([c["role"], len(c["user"])]) + c["user"]
    return hmac_digest(c["suite"], key, data)


def k_n(c, n):
    # Spec 13.32: Kn = HMAC_SIK(const_n); the constants are 20 bytes of 0x0n.
    # (ipmitool, FreeIPMI and OpenBMC all use 20 bytes, also for SHA-256.)
    return hmac_digest(c["suite"], sik(c), bytes([n]) * 20)


def rakp4_icv(c):
    data = c["rm"] + u32le(c["sidc"]) + c["guid"]
    return hmac_digest(c["suite"], sik(c), data)[: SUITES[c["suite"]]["auth_code_len"]]


def twos_complement_checksum(data):
    return (-sum(data)) & 0xFF


def get_chassis_status_message(rq_seq):
    # IPMB-style request: rsAddr, netFn/rsLUN, chk1, rqAddr, rqSeq/rqLUN, cmd, data, chk2.
    rs_addr, net_fn, rs_lun = 0x20, 0x00, 0x00
    rq_addr, rq_lun, cmd = 0x81, 0x00, 0x01
    header = bytes([rs_addr, (net_fn << 2) | rs_lun])
    body = bytes([rq_addr, (rq_seq << 2) | rq_lun, cmd])
    return header + bytes([twos_complement_checksum(header)]) + body + bytes([twos_complement_checksum(body)])


def aes_cbc_128_payload(k2, iv, plaintext):
    # Spec 13.29: pad with 01 02 .. N then the pad length N so that the
    # plaintext, pad and pad-length byte fill whole 16-byte blocks.
    pad_len = (16 - (len(plaintext) + 1) % 16) % 16
    padded = plaintext + bytes(range(1, pad_len + 1)) + bytes([pad_len])
    encryptor = Cipher(algorithms.AES(k2[:16]), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(padded) + encryptor.finalize()


def rmcp_plus_datagram(c, session_id, sequence, iv, message):
    k1, k2 = k_n(c, 1), k_n(c, 2)
    payload = aes_cbc_128_payload(k2, iv, message)
    payload_type = 0x80 | 0x40 | PAYLOAD_IPMI  # encrypted, authenticated, IPMI
    session = (bytes([AUTH_TYPE_RMCP_PLUS, payload_type]) + u32le(session_id) + u32le(sequence)
               + struct.pack("<H", len(payload)) + payload)
    # Spec 13.28.4 / table 13-8: integrity pad of 0xFF so that AuthType..NextHeader is a multiple of 4.
    pad_len = (4 - (len(session) + 2) % 4) % 4
    covered = session + b"\xff" * pad_len + bytes([pad_len, 0x07])
    auth_code = hmac_digest(c["suite"], k1, covered)[: SUITES[c["suite"]]["auth_code_len"]]
    return RMCP_HEADER + covered + auth_code


def make_case(name, suite, password, user, role, kg=None):
    c = {
        "suite": suite,
        "password": password,
        "kg": kg,
        "user": user,
        "role": role,
        "sidm": 0x0A0B0C0D,  # remote console session ID
        "sidc": 0x12345678,  # managed system (BMC) session ID
        "rm": bytes(range(0xA0, 0xB0)),
        "rc": bytes(range(0xB0, 0xC0)),
        "guid": bytes(range(0xC0, 0xD0)),
    }
    padded = hmac_digest(suite, password + bytes(20 - len(password)), b"check")
    assert padded == hmac_digest(suite, password, b"check"), "zero-padding changed the HMAC key"
    rq_seq = 0x05
    sequence = 0x00000003
    iv = bytes(range(0x10, 0x20))
    message = get_chassis_status_message(rq_seq)
    return {
        "name": name,
        "suite": suite,
        "password": password.hex(),
        "kg": kg.hex() if kg else None,
        "userName": user.hex(),
        "role": role,
        "consoleSessionID": c["sidm"],
        "managedSystemSessionID": c["sidc"],
        "consoleRandom": c["rm"].hex(),
        "managedSystemRandom": c["rc"].hex(),
        "managedSystemGUID": c["guid"].hex(),
        "rakp2AuthCode": rakp2_auth_code(c).hex(),
        "rakp3AuthCode": rakp3_auth_code(c).hex(),
        "sik": sik(c).hex(),
        "k1": k_n(c, 1).hex(),
        "k2": k_n(c, 2).hex(),
        "rakp4IntegrityCheckValue": rakp4_icv(c).hex(),
        "datagram": {
            "sessionID": c["sidc"],
            "sequence": sequence,
            "iv": iv.hex(),
            "rqSeq": rq_seq,
            "message": message.hex(),
            "bytes": rmcp_plus_datagram(c, c["sidc"], sequence, iv, message).hex(),
        },
    }


def main():
    password = b"password"
    twenty = b"0123456789abcdefghij"
    assert len(twenty) == 20
    cases = [
        make_case("suite 3, role 0x14 (name-only lookup, administrator)", 3, password, b"admin", 0x14),
        make_case("suite 3, role 0x04 (administrator)", 3, password, b"admin", 0x04),
        make_case("suite 17, role 0x14 (name-only lookup, administrator)", 17, password, b"admin", 0x14),
        make_case("suite 17, role 0x04 (administrator)", 17, password, b"admin", 0x04),
        make_case("suite 3, 20-byte password", 3, twenty, b"admin", 0x14),
        make_case("suite 17, 20-byte password", 17, twenty, b"admin", 0x14),
        make_case("suite 17, BMC key KG set", 17, password, b"admin", 0x14, kg=bytes(range(0x41, 0x55))),
    ]
    print(json.dumps({
        "generator": "Tests/AnvilIPMITests/Vectors/make-vectors.py (Python hashlib/hmac + cryptography)",
        "cases": cases,
    }, indent=2))


if __name__ == "__main__":
    main()
