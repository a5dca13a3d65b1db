import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './i18n'
import { makeRouter } from './router'
import './style.css'

createApp(App).use(createPinia()).use(i18n).use(makeRouter()).mount('#app')
