// Prism with the site's languages, as Docusaurus's start-up module made it: prism-react-renderer's
// Prism, and the config's additionalLanguages added by @theme/prism-include-languages.
import { Prism } from 'prism-react-renderer';
import prismIncludeLanguages from '@theme/prism-include-languages';

prismIncludeLanguages(Prism);

export default Prism;
