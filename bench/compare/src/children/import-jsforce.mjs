// Cold import: jsforce.
export { default } from 'jsforce'
