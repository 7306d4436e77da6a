/** Entry point: language from the store (remembered), then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './App';
import { createI18n } from './i18n';
import { useUi } from './store/uiStore';
import { registerOfflineApp } from './offline/serviceWorker';
import './app.css';

const i18n = createI18n(useUi.getState().lang);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <App />
      </I18nextProvider>
    </StrictMode>,
  );
}
registerOfflineApp();
