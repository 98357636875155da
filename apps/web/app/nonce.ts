import { createContext, useContext } from 'react';

/** The CSP nonce of this response's inline scripts; empty in the browser, which never needs it again. */
export const NonceContext = createContext('');
export const useNonce = () => useContext(NonceContext);
