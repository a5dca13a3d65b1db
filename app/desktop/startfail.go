package desktop

import (
	"errors"

	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/health"
)

// startFailure explains, in the user's language, why the app could not open its data.
// It runs before the UI exists, so it cannot use the UI's translations.
func startFailure(lang string, err error) string {
	kind := "open"
	switch {
	case errors.Is(err, store.ErrCorrupt):
		kind = "corrupt"
	case errors.Is(err, store.ErrTooNew):
		kind = "too_new"
	case errors.Is(err, store.ErrLocked):
		kind = "in_use"
	case health.DiskFull(err):
		kind = "full"
	}
	messages := map[string]map[string]string{
		"en": {
			"open":    "Ecert Desktop could not open its data folder. Check that the disk is available and not full, then start the app again.",
			"corrupt": "Ecert Desktop's local data is damaged. Nothing has been deleted. Please contact your IT support before starting the app again.",
			"too_new": "This local data was written by a newer version of Ecert Desktop. Please install the newer version.",
			"in_use":  "Ecert Desktop is already open on this computer (or a scheduled command is using its data). Use the window that is open, or wait a moment and start it again.",
			"full":    "The disk is full: Ecert Desktop cannot open its data. Nothing has been lost. Free some space on the disk, then start the app again.",
		},
		"fr": {
			"open":    "Ecert Desktop n'a pas pu ouvrir son dossier de données. Vérifiez que le disque est disponible et n'est pas plein, puis relancez l'application.",
			"corrupt": "Les données locales d'Ecert Desktop sont endommagées. Rien n'a été supprimé. Contactez votre support informatique avant de relancer l'application.",
			"too_new": "Ces données locales ont été écrites par une version plus récente d'Ecert Desktop. Veuillez installer cette version.",
			"in_use":  "Ecert Desktop est déjà ouvert sur cet ordinateur (ou une tâche planifiée utilise ses données). Utilisez la fenêtre ouverte, ou attendez un instant et relancez-le.",
			"full":    "Le disque est plein : Ecert Desktop ne peut pas ouvrir ses données. Rien n'a été perdu. Libérez de la place sur le disque, puis relancez l'application.",
		},
		"es": {
			"open":    "Ecert Desktop no pudo abrir su carpeta de datos. Compruebe que el disco está disponible y no está lleno, y vuelva a iniciar la aplicación.",
			"corrupt": "Los datos locales de Ecert Desktop están dañados. No se ha borrado nada. Contacte a su soporte informático antes de volver a iniciar la aplicación.",
			"too_new": "Estos datos locales fueron escritos por una versión más reciente de Ecert Desktop. Instale esa versión.",
			"in_use":  "Ecert Desktop ya está abierto en este ordenador (o una tarea programada usa sus datos). Use la ventana abierta, o espere un momento y vuelva a iniciarlo.",
			"full":    "El disco está lleno: Ecert Desktop no puede abrir sus datos. No se ha perdido nada. Libere espacio en el disco y vuelva a iniciar la aplicación.",
		},
		"pt": {
			"open":    "O Ecert Desktop não conseguiu abrir a sua pasta de dados. Verifique se o disco está disponível e não está cheio e abra o aplicativo de novo.",
			"corrupt": "Os dados locais do Ecert Desktop estão danificados. Nada foi apagado. Fale com o seu suporte de TI antes de abrir o aplicativo de novo.",
			"too_new": "Estes dados locais foram gravados por uma versão mais nova do Ecert Desktop. Instale essa versão.",
			"in_use":  "O Ecert Desktop já está aberto neste computador (ou uma tarefa agendada está usando os dados dele). Use a janela aberta ou aguarde um momento e abra-o de novo.",
			"full":    "O disco está cheio: o Ecert Desktop não consegue abrir os seus dados. Nada foi perdido. Libere espaço no disco e abra o aplicativo de novo.",
		},
	}
	m, ok := messages[lang]
	if !ok {
		m = messages["en"]
	}
	return m[kind]
}
