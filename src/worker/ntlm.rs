//! NTLM (MS-NLMP) messages for HTTP authentication: the Negotiate (Type 1) message, the
//! parsing of the server's Challenge (Type 2), and the Authenticate (Type 3) message with
//! an NTLMv2 response. Only what an HTTP client needs: no signing, sealing or key exchange,
//! and no NTLMv1 (servers worth monitoring have refused it for years). No I/O here: the
//! HTTP check owns the round trips and keeps them on one connection.

use hmac::{Hmac, Mac};
use md4::{Digest, Md4};

type HmacMd5 = Hmac<md5::Md5>;

const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";

const NEGOTIATE_UNICODE: u32 = 0x0000_0001;
const NEGOTIATE_OEM: u32 = 0x0000_0002;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NEGOTIATE_NTLM: u32 = 0x0000_0200;
const NEGOTIATE_ALWAYS_SIGN: u32 = 0x0000_8000;
const NEGOTIATE_EXTENDED_SESSIONSECURITY: u32 = 0x0008_0000;
const NEGOTIATE_TARGET_INFO: u32 = 0x0080_0000;
const NEGOTIATE_128: u32 = 0x2000_0000;
const NEGOTIATE_56: u32 = 0x8000_0000;

/// The flags this client asks for; the Type 3 message keeps those the server granted.
const CLIENT_FLAGS: u32 = NEGOTIATE_UNICODE
    | NEGOTIATE_OEM
    | REQUEST_TARGET
    | NEGOTIATE_NTLM
    | NEGOTIATE_ALWAYS_SIGN
    | NEGOTIATE_EXTENDED_SESSIONSECURITY
    | NEGOTIATE_TARGET_INFO
    | NEGOTIATE_128
    | NEGOTIATE_56;

/// `MsvAvTimestamp` in the target information: when present, the client must use the
/// server's time and send an empty LMv2 response.
const AV_TIMESTAMP: u16 = 7;
const AV_EOL: u16 = 0;

/// Who authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
    pub domain: String,
    pub workstation: String,
}

/// What the server's Challenge (Type 2) message carries that the response depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub flags: u32,
    pub server_challenge: [u8; 8],
    pub target_info: Vec<u8>,
}

impl Challenge {
    /// The server's time from the target information (Windows FILETIME), if it sent one.
    pub fn timestamp(&self) -> Option<u64> {
        let mut rest = self.target_info.as_slice();
        while rest.len() >= 4 {
            let id = u16::from_le_bytes([rest[0], rest[1]]);
            let len = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
            if id == AV_EOL || rest.len() < 4 + len {
                return None;
            }
            if id == AV_TIMESTAMP && len == 8 {
                return Some(u64::from_le_bytes(rest[4..12].try_into().ok()?));
            }
            rest = &rest[4 + len..];
        }
        None
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    let mut mac = HmacMd5::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// NTOWFv2: HMAC-MD5 keyed with the MD4 of the password, over the upper-cased user name
/// and the domain (as typed), all UTF-16LE.
pub fn ntowf_v2(user: &str, password: &str, domain: &str) -> [u8; 16] {
    let nt_hash: [u8; 16] = Md4::digest(utf16le(password)).into();
    hmac_md5(&nt_hash, &[&utf16le(&user.to_uppercase()), &utf16le(domain)])
}

/// The NTLMv2 client "blob" (`temp` in MS-NLMP 3.3.2) for this time and client challenge.
fn client_blob(time: u64, client_challenge: &[u8; 8], target_info: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(32 + target_info.len());
    b.extend_from_slice(&[1, 1, 0, 0, 0, 0, 0, 0]);
    b.extend_from_slice(&time.to_le_bytes());
    b.extend_from_slice(client_challenge);
    b.extend_from_slice(&[0; 4]);
    b.extend_from_slice(target_info);
    b.extend_from_slice(&[0; 4]);
    b
}

/// The NTLMv2 and LMv2 responses: (NtChallengeResponse, LmChallengeResponse).
pub fn responses(
    creds: &Credentials,
    challenge: &Challenge,
    time: u64,
    client_challenge: &[u8; 8],
) -> (Vec<u8>, Vec<u8>) {
    let key = ntowf_v2(&creds.user, &creds.password, &creds.domain);
    let blob = client_blob(time, client_challenge, &challenge.target_info);
    let nt_proof = hmac_md5(&key, &[&challenge.server_challenge, &blob]);
    let mut nt = nt_proof.to_vec();
    nt.extend_from_slice(&blob);
    let lm = if challenge.timestamp().is_some() {
        vec![0; 24]
    } else {
        let mut lm = hmac_md5(&key, &[&challenge.server_challenge, client_challenge]).to_vec();
        lm.extend_from_slice(client_challenge);
        lm
    };
    (nt, lm)
}

/// The Negotiate (Type 1) message. Domain and workstation go in the Type 3 message only.
pub fn negotiate() -> Vec<u8> {
    let mut m = Vec::with_capacity(32);
    m.extend_from_slice(SIGNATURE);
    m.extend_from_slice(&1u32.to_le_bytes());
    m.extend_from_slice(&CLIENT_FLAGS.to_le_bytes());
    m.extend_from_slice(&[0; 16]); // empty domain and workstation fields
    m
}

/// Parses a Challenge (Type 2) message.
pub fn parse_challenge(msg: &[u8]) -> Result<Challenge, String> {
    if msg.len() < 32 || &msg[..8] != SIGNATURE {
        return Err("the server's NTLM challenge is not an NTLMSSP message".into());
    }
    let u32_at = |i: usize| u32::from_le_bytes(msg[i..i + 4].try_into().expect("4 bytes"));
    if u32_at(8) != 2 {
        return Err(format!("expected an NTLM challenge (type 2), got type {}", u32_at(8)));
    }
    let flags = u32_at(20);
    let server_challenge: [u8; 8] = msg[24..32].try_into().expect("8 bytes");
    let target_info = if msg.len() >= 48 {
        let len = usize::from(u16::from_le_bytes([msg[40], msg[41]]));
        let off = u32_at(44) as usize;
        msg.get(off..off + len).ok_or("the server's NTLM challenge is truncated")?.to_vec()
    } else {
        Vec::new()
    };
    Ok(Challenge { flags, server_challenge, target_info })
}

/// The Authenticate (Type 3) message answering `challenge`. `time` (Windows FILETIME) is
/// used unless the server sent its own; `client_challenge` must be random.
pub fn authenticate(creds: &Credentials, challenge: &Challenge, time: u64, client_challenge: &[u8; 8]) -> Vec<u8> {
    let time = challenge.timestamp().unwrap_or(time);
    let (nt, lm) = responses(creds, challenge, time, client_challenge);
    let flags = (challenge.flags & CLIENT_FLAGS & !NEGOTIATE_OEM) | NEGOTIATE_UNICODE | NEGOTIATE_NTLM;
    let fields: [Vec<u8>; 6] = [
        lm,
        nt,
        utf16le(&creds.domain),
        utf16le(&creds.user),
        utf16le(&creds.workstation),
        Vec::new(), // no encrypted session key: no key exchange
    ];
    const HEADER: usize = 64;
    let mut head = Vec::with_capacity(HEADER);
    head.extend_from_slice(SIGNATURE);
    head.extend_from_slice(&3u32.to_le_bytes());
    let mut payload = Vec::new();
    for f in &fields {
        let len = u16::try_from(f.len()).unwrap_or(u16::MAX);
        head.extend_from_slice(&len.to_le_bytes());
        head.extend_from_slice(&len.to_le_bytes());
        head.extend_from_slice(&((HEADER + payload.len()) as u32).to_le_bytes());
        payload.extend_from_slice(&f[..usize::from(len)]);
    }
    head.extend_from_slice(&flags.to_le_bytes());
    head.extend_from_slice(&payload);
    head
}

/// Now as a Windows FILETIME (100 ns ticks since 1601-01-01).
pub fn filetime_now() -> u64 {
    const EPOCH_DIFF_SECS: u64 = 11_644_473_600;
    let since_unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (since_unix.as_secs() + EPOCH_DIFF_SECS) * 10_000_000 + u64::from(since_unix.subsec_nanos() / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// The inputs of MS-NLMP §4.2.1 and §4.2.4 (NTLMv2 authentication).
    fn spec() -> (Credentials, Challenge) {
        let creds = Credentials {
            user: "User".into(),
            password: "Password".into(),
            domain: "Domain".into(),
            workstation: "COMPUTER".into(),
        };
        // MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL.
        let target_info = hex("02000c0044006f006d00610069006e00 01000c005300650072007600650072000000 0000");
        let challenge = Challenge {
            flags: 0xe28a_8233,
            server_challenge: hex("0123456789abcdef").try_into().unwrap(),
            target_info,
        };
        (creds, challenge)
    }

    #[test]
    fn ntowf_v2_matches_the_specification() {
        assert_eq!(ntowf_v2("User", "Password", "Domain").to_vec(), hex("0c868a403bfd7a93a3001ef22ef02e3f"));
    }

    #[test]
    fn ntlmv2_and_lmv2_responses_match_the_specification() {
        let (creds, challenge) = spec();
        let (nt, lm) = responses(&creds, &challenge, 0, &[0xaa; 8]);
        assert_eq!(nt[..16].to_vec(), hex("68cd0ab851e51c96aabc927bebef6a1c"), "NTProofStr");
        assert_eq!(lm, hex("86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa"), "LMv2 response");
        assert_eq!(nt[16..].to_vec(), client_blob(0, &[0xaa; 8], &challenge.target_info));
    }

    #[test]
    fn a_server_timestamp_wins_and_empties_the_lm_response() {
        let (creds, mut challenge) = spec();
        // Insert MsvAvTimestamp before the EOL.
        let eol = challenge.target_info.len() - 4;
        let mut info = challenge.target_info[..eol].to_vec();
        info.extend_from_slice(&[7, 0, 8, 0]);
        info.extend_from_slice(&42u64.to_le_bytes());
        info.extend_from_slice(&[0, 0, 0, 0]);
        challenge.target_info = info;
        assert_eq!(challenge.timestamp(), Some(42));
        let msg = authenticate(&creds, &challenge, 99, &[1; 8]);
        let lm_len = u16::from_le_bytes([msg[12], msg[13]]) as usize;
        let lm_off = u32::from_le_bytes(msg[16..20].try_into().unwrap()) as usize;
        assert_eq!(&msg[lm_off..lm_off + lm_len], &[0u8; 24]);
        let nt_off = u32::from_le_bytes(msg[24..28].try_into().unwrap()) as usize;
        assert_eq!(&msg[nt_off + 24..nt_off + 32], &42u64.to_le_bytes(), "the blob carries the server's time");
    }

    #[test]
    fn a_challenge_round_trips_through_the_parser() {
        let (_, challenge) = spec();
        let mut msg = Vec::new();
        msg.extend_from_slice(SIGNATURE);
        msg.extend_from_slice(&2u32.to_le_bytes());
        msg.extend_from_slice(&[0, 0, 0, 0, 56, 0, 0, 0]); // empty target name
        msg.extend_from_slice(&challenge.flags.to_le_bytes());
        msg.extend_from_slice(&challenge.server_challenge);
        msg.extend_from_slice(&[0; 8]);
        let len = challenge.target_info.len() as u16;
        msg.extend_from_slice(&len.to_le_bytes());
        msg.extend_from_slice(&len.to_le_bytes());
        msg.extend_from_slice(&56u32.to_le_bytes());
        msg.extend_from_slice(&[0; 8]); // version
        msg.extend_from_slice(&challenge.target_info);
        assert_eq!(parse_challenge(&msg).unwrap(), challenge);
        assert!(parse_challenge(&msg[..20]).is_err());
        assert!(parse_challenge(&negotiate()).unwrap_err().contains("type 1"));
    }

    #[test]
    fn the_authenticate_message_carries_names_and_responses_where_its_fields_say() {
        let (creds, challenge) = spec();
        let msg = authenticate(&creds, &challenge, 0, &[0xaa; 8]);
        assert_eq!(&msg[..8], SIGNATURE);
        assert_eq!(u32::from_le_bytes(msg[8..12].try_into().unwrap()), 3);
        let field = |at: usize| {
            let len = u16::from_le_bytes([msg[at], msg[at + 1]]) as usize;
            let off = u32::from_le_bytes(msg[at + 4..at + 8].try_into().unwrap()) as usize;
            msg[off..off + len].to_vec()
        };
        assert_eq!(field(28), utf16le("Domain"));
        assert_eq!(field(36), utf16le("User"));
        assert_eq!(field(44), utf16le("COMPUTER"));
        assert_eq!(field(20)[..16].to_vec(), hex("68cd0ab851e51c96aabc927bebef6a1c"));
        let flags = u32::from_le_bytes(msg[60..64].try_into().unwrap());
        assert_ne!(flags & NEGOTIATE_UNICODE, 0);
        assert_eq!(flags & NEGOTIATE_OEM, 0);
    }
}
